import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { AccessGuard } from './access.guard';
import { AccountService } from './account.service';
import { ApiToken } from './entities/api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthPagesController } from './auth.pages.controller';
import { CredentialHold } from './credential-hold';
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
import { MfaController } from './mfa.controller';
import { MfaPagesController } from './mfa.pages.controller';
import { MfaSetupPageModel } from './mfa-setup.page';
import { MfaEnrolment } from './mfa/mfa-enrolment';
import { RecoveryCodes } from './mfa/recovery-codes';
import { SecondFactorCheck } from './mfa/second-factor-check';
import { SecondFactors } from './mfa/second-factors';
import { TotpCipher } from './mfa/totp-cipher';
import { TotpFactors } from './mfa/totp-factors';
import { SecondFactorPolicy } from './second-factor-policy';

@Module({
  imports: [PassportModule.register({ session: true }), TypeOrmModule.forFeature([ApiToken]), TenancyModule, AuditModule],
  controllers: [AuthController, InvitationAcceptanceController, ApiTokensController, AuthPagesController, TokensPagesController, PasswordResetController, PasswordResetPagesController, MfaController, MfaPagesController],
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
    TotpCipher,
    TotpFactors,
    RecoveryCodes,
    SecondFactors,
    SecondFactorCheck,
    SecondFactorPolicy,
    MfaEnrolment,
    MfaSetupPageModel,
  ],
  exports: [ApiTokensService, AccessGuard, SecondFactorPolicy],
})
export class AuthModule {}
