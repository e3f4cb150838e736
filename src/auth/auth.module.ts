import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { AccessGuard } from './access.guard';
import { AccountPageModel } from './account.page';
import { AccountService } from './account.service';
import { ApiToken } from './entities/api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthPagesController } from './auth.pages.controller';
import { CredentialHold } from './credential-hold';
import { EmailChangeService } from './email-change.service';
import { EmailVerificationController } from './email-verification.controller';
import { EmailVerificationLimits } from './email-verification-limits';
import { EmailVerificationPagesController } from './email-verification.pages.controller';
import { EmailVerificationService } from './email-verification.service';
import { InvitationAcceptanceController } from './invitation-acceptance.controller';
import { OperatorSetupService } from './operator-setup.service';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetLimits } from './password-reset-limits';
import { PasswordResetPagesController } from './password-reset.pages.controller';
import { PasswordResetService } from './password-reset.service';
import { SessionSerializer } from './session.serializer';
import { SignInService } from './sign-in.service';
import { SignInThrottle } from './sign-in-throttle';
import { SignUpService } from './sign-up.service';
import { BearerStrategy } from './strategies/bearer.strategy';
import { LocalStrategy } from './strategies/local.strategy';
import { TokensPagesController } from './tokens.pages.controller';
import { UserSessions } from './user-sessions';

@Module({
  imports: [PassportModule.register({ session: true }), TypeOrmModule.forFeature([ApiToken]), TenancyModule, AuditModule],
  controllers: [AuthController, InvitationAcceptanceController, ApiTokensController, AuthPagesController, TokensPagesController, PasswordResetController, PasswordResetPagesController, EmailVerificationController, EmailVerificationPagesController],
  providers: [
    AccessGuard,
    ApiTokensService,
    SignInService,
    SignInThrottle,
    SignUpService,
    AccountService,
    UserSessions,
    OperatorSetupService,
    SessionSerializer,
    LocalStrategy,
    BearerStrategy,
    CredentialHold,
    PasswordResetService,
    PasswordResetLimits,
    EmailVerificationService,
    EmailVerificationLimits,
    EmailChangeService,
    AccountPageModel,
  ],
  exports: [ApiTokensService, AccessGuard],
})
export class AuthModule {}
