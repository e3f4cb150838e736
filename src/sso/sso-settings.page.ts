import { Injectable } from '@nestjs/common';
import { rolesFor, FOUNDING_ROLE } from '../access/roles';
import { TenantContext } from '../common/tenant-context';
import { FormModel } from '../web/form-view.decorator';
import { SsoSettings, SsoSettingsService } from './sso-settings';
import { SSO_CALLBACK_PATH } from './sso-sign-in';
import { AppConfig } from '../config/app-config.service';

/** The single sign-on section of an organization's settings: the form, the claims and their status. */
@Injectable()
export class SsoSettingsPageModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly settings: SsoSettingsService,
    private readonly config: AppConfig,
  ) {}

  async locals(): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const settings = await this.settings.current();
    return {
      title: 'Single sign-on',
      org,
      configured: Boolean(settings),
      claims: settings?.domains ?? [],
      version: settings?.version,
      roles: rolesFor(org.kind).filter((role) => role !== FOUNDING_ROLE[org.kind]),
      redirectUri: `${this.config.publicUrl}${SSO_CALLBACK_PATH}`,
    };
  }

  /** The form's values as stored (the secret never: its field stays empty and keeps it). */
  static values(settings: SsoSettings | undefined): Record<string, unknown> {
    if (!settings) return { defaultRole: undefined, ssoOnly: false };
    return { ...settings, domains: settings.domains.map((claim) => claim.domain).join('\n') };
  }
}
