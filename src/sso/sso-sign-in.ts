import { Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { SingleSignOnRule, SsoOnlyOrganization } from '../auth/single-sign-on-rule';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { domainOf } from './public-mail-domains';
import { SsoAccounts, VouchedPerson } from './sso-accounts';
import { SsoDomains } from './sso-domains';
import { SsoFlow } from './sso-flow-session';
import { SsoSettingsService } from './sso-settings';
import { IdentityProviders } from './identity-providers';
import { SsoErrorCode, SsoException } from './sso.exception';

export const SSO_CALLBACK_PATH = '/auth/sso/callback';

interface SsoOrganization {
  organizationId: string;
  slug: string;
  name: string;
  ssoOnly: boolean;
}

/**
 * Sign-in through an organization's identity provider: discovery from the address, the authorization
 * request with PKCE, state and nonce, and the callback, whose checks `openid-client` makes.
 */
@Injectable()
export class SsoSignIn implements SingleSignOnRule {
  constructor(
    private readonly tx: TransactionHost,
    private readonly config: AppConfig,
    private readonly settings: SsoSettingsService,
    private readonly domains: SsoDomains,
    private readonly providers: IdentityProviders,
    private readonly accounts: SsoAccounts,
  ) {}

  /** The organization that signs this address in, if its domain is confirmed for one with SSO set up. */
  async organizationFor(email: string): Promise<SsoOrganization | undefined> {
    const domain = domainOf(email);
    if (!domain) return undefined;
    const [row] = (await this.tx.manager.query(`SELECT organization_id AS "organizationId", slug, name, sso_only AS "ssoOnly" FROM sso_sign_in_by_domain($1)`, [
      domain,
    ])) as SsoOrganization[];
    return row;
  }

  async ssoOnlyFor(email: string): Promise<SsoOnlyOrganization | undefined> {
    const organization = await this.organizationFor(email);
    return organization?.ssoOnly ? { name: organization.name } : undefined;
  }

  /** The identity provider's authorization URL for this address, and the flow to keep until its callback. */
  async start(email: string): Promise<{ url: string; flow: SsoFlow } | undefined> {
    const organization = await this.organizationFor(email);
    if (!organization) return undefined;
    await this.tx.changeScope({ organizationId: organization.organizationId });
    const settings = await this.settings.forSignIn(organization.organizationId);
    if (!settings) return undefined;
    const configuration = await this.providers.configuration(settings);
    const flow: SsoFlow = {
      organizationId: organization.organizationId,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      since: Date.now(),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.callbackUrl(),
      scope: 'openid email profile',
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
      login_hint: email.trim(),
    });
    return { url: url.href, flow };
  }

  /**
   * The callback: the code is exchanged only if state, nonce and PKCE check out, and the address the
   * provider vouches for must be in a confirmed domain of the organization. Runs outside a request
   * transaction: the provider is called between the transactions, never inside one.
   */
  async finish(flow: SsoFlow | undefined, query: string) {
    if (!flow) throw this.failed('this sign-in was not started here, took longer than 10 minutes, or was already used. Start again');
    const settings = await this.tx.runScoped({ organizationId: flow.organizationId }, () => this.settings.forSignIn(flow.organizationId));
    if (!settings) throw this.failed('the organization no longer uses single sign-on');
    const configuration = await this.providers.configuration(settings);
    const person = await this.vouchedPerson(configuration, flow, query);
    const domain = domainOf(person.email)!;
    const confirmed = await this.tx.runScoped({}, async () =>
      (await this.domains.forOrganization(flow.organizationId)).some((claim) => claim.domain === domain && claim.status === 'confirmed'),
    );
    if (!confirmed) {
      throw new SsoException(SsoErrorCode.AddressRefused, `The identity provider signed you in as ${person.email}, which is not in a domain this organization has claimed and the operator confirmed.`);
    }
    return this.accounts.signIn(flow.organizationId, person, settings.defaultRole);
  }

  private async vouchedPerson(configuration: oidc.Configuration, flow: SsoFlow, query: string): Promise<VouchedPerson> {
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, new URL(`${this.callbackUrl()}?${query}`), {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      // openid-client wraps oauth4webapi's error, whose message names the check that failed (the nonce, the issuer …).
      let reason: unknown = error;
      while (reason instanceof Error && reason.cause instanceof Error) reason = reason.cause;
      reason = reason instanceof Error ? reason.message : String(reason);
      throw this.failed(`the identity provider's answer did not pass the checks (${reason as string})`);
    }
    const claims = tokens.claims()!;
    let email = typeof claims.email === 'string' ? claims.email : undefined;
    let verified = claims.email_verified;
    let name = typeof claims.name === 'string' ? claims.name : undefined;
    if (!email) {
      const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub).catch(() => undefined);
      email = typeof info?.email === 'string' ? info.email : undefined;
      verified = info?.email_verified;
      name ??= typeof info?.name === 'string' ? info.name : undefined;
    }
    if (!email || !domainOf(email)) throw new SsoException(SsoErrorCode.AddressRefused, 'The identity provider did not give an e-mail address, which Adhere needs to know who you are.');
    if (verified === false) throw new SsoException(SsoErrorCode.AddressRefused, `The identity provider says ${email} is not verified; verify it there first.`);
    return { email: email.trim(), name: name?.trim() || email.split('@')[0], subject: claims.sub };
  }

  private callbackUrl(): string {
    return `${this.config.publicUrl}${SSO_CALLBACK_PATH}`;
  }

  private failed(reason: string): SsoException {
    return new SsoException(SsoErrorCode.SignInFailed, `Single sign-on failed: ${reason}.`);
  }
}
