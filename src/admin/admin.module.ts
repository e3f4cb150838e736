import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { AdminDirectory } from './admin-directory';
import { AdminOrganizationPage, AdminUserPage } from './admin-pages.page';
import { AdminProfiles } from './admin-profiles';
import { AdminController } from './admin.controller';
import { AdminPagesController } from './admin.pages.controller';
import { OrganizationSuspension } from './organization-suspension';
import { PersonSuspension } from './person-suspension';
import { SignInHelp } from './sign-in-help';

/** The platform operator's help desk: finding, helping and stopping people and organizations. */
@Module({
  imports: [AuditModule, AuthModule],
  controllers: [AdminController, AdminPagesController],
  providers: [AdminDirectory, AdminProfiles, PersonSuspension, OrganizationSuspension, SignInHelp, AdminUserPage, AdminOrganizationPage],
})
export class AdminModule {}
