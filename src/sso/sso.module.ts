import { Global, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SingleSignOnRule } from '../auth/single-sign-on-rule';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ClientSecretBox } from './client-secret-box';
import { IdentityProviders } from './identity-providers';
import { SsoAccounts } from './sso-accounts';
import { SsoAdminController } from './sso-admin.controller';
import { SsoDomains } from './sso-domains';
import { SsoPagesController } from './sso.pages.controller';
import { SsoSettingsService } from './sso-settings';
import { SsoSettingsPageModel } from './sso-settings.page';
import { SsoSignIn } from './sso-sign-in';
import { SsoSignInController } from './sso-sign-in.controller';
import { SsoController } from './sso.controller';

/**
 * Single sign-on with OpenID Connect. Global only to provide SingleSignOnRule to auth, which sits
 * below it in the layers and asks it before taking a password.
 */
@Global()
@Module({
  imports: [TenancyModule, AuditModule],
  controllers: [SsoController, SsoSignInController, SsoAdminController, SsoPagesController],
  providers: [
    ClientSecretBox,
    IdentityProviders,
    SsoDomains,
    SsoSettingsService,
    SsoSettingsPageModel,
    SsoAccounts,
    SsoSignIn,
    { provide: SingleSignOnRule, useExisting: SsoSignIn },
  ],
  exports: [SingleSignOnRule],
})
export class SsoModule {}
