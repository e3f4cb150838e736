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
import { PasskeyAssertions } from './passkeys/passkey-assertions';
import { PasskeyRows } from './passkeys/passkey-rows';
import { PasskeySignIn } from './passkeys/passkey-sign-in.service';
import { PasskeySignInController } from './passkeys/passkey-sign-in.controller';
import { PasskeysController } from './passkeys/passkeys.controller';
import { PasskeysService } from './passkeys/passkeys.service';
import { RelyingParty } from './passkeys/relying-party';
import { SecondFactorProof } from './passkeys/second-factor-proof';
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
import { AccountSessions } from './account-sessions';
import { SessionsController } from './sessions.controller';
import { SessionsPagesController } from './sessions.pages.controller';
import { MfaController } from './mfa.controller';
import { MfaPagesController } from './mfa.pages.controller';
import { MfaSetupPageModel } from './mfa-setup.page';
import { SignInMfaPageModel } from './signin-mfa.page';
import { MfaEnrolment } from './mfa/mfa-enrolment';
import { RecoveryCodes } from './mfa/recovery-codes';
import { SecondFactorCheck } from './mfa/second-factor-check';
import { SecondFactors } from './mfa/second-factors';
import { TotpCipher } from './mfa/totp-cipher';
import { TotpFactors } from './mfa/totp-factors';
import { SecondFactorPolicy } from './second-factor-policy';

@Module({
  imports: [PassportModule.register({ session: true }), TypeOrmModule.forFeature([ApiToken]), TenancyModule, AuditModule],
  controllers: [AuthController, InvitationAcceptanceController, ApiTokensController, AuthPagesController, TokensPagesController, PasswordResetController, PasswordResetPagesController, SessionsController, SessionsPagesController, PasskeysController, PasskeySignInController, MfaController, MfaPagesController, EmailVerificationController, EmailVerificationPagesController],
  providers: [
    AccessGuard,
    ApiTokensService,
    SignInService,
    SignInThrottle,
    SignUpService,
    AccountService,
    AccountPageModel,
    UserSessions,
    OperatorSetupService,
    SessionSerializer,
    LocalStrategy,
    BearerStrategy,
    CredentialHold,
    PasswordResetService,
    PasswordResetLimits,
    AccountSessions,
    RelyingParty,
    PasskeyRows,
    PasskeyAssertions,
    PasskeySignIn,
    PasskeysService,
    SecondFactorProof,
    TotpCipher,
    TotpFactors,
    RecoveryCodes,
    SecondFactors,
    SecondFactorCheck,
    SecondFactorPolicy,
    MfaEnrolment,
    MfaSetupPageModel,
    EmailVerificationService,
    EmailVerificationLimits,
    EmailChangeService,
    SignInMfaPageModel,
  ],
  exports: [ApiTokensService, AccessGuard, UserSessions, PasswordResetService, SignInThrottle, PasskeysService, SecondFactorPolicy],
})
export class AuthModule {}
