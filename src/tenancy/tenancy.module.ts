import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { Invitation } from './entities/invitation.entity';
import { Membership } from './entities/membership.entity';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { FoundingService } from './founding.service';
import { InvitationsService } from './invitations.service';
import { MembershipsService } from './memberships.service';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';
import { TenancyPagesController } from './tenancy.pages.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([Organization, User, Membership, Invitation]), AuditModule],
  controllers: [OrganizationsController, TenancyPagesController],
  providers: [OrganizationsService, UsersService, MembershipsService, InvitationsService, FoundingService],
  exports: [OrganizationsService, UsersService, MembershipsService, InvitationsService, FoundingService],
})
export class TenancyModule {}
