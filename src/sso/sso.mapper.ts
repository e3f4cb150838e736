import type { DomainClaim } from './sso-domains';
import type { SsoSettings } from './sso-settings';

/** The API's shapes of single sign-on records. The client secret is never part of any. */
export const domainClaimJson = (claim: DomainClaim) => ({
  domain: claim.domain,
  status: claim.status,
  claimedAt: claim.claimedAt,
  decidedAt: claim.decidedAt,
  organization: claim.organization,
});

export const ssoSettingsJson = (settings: SsoSettings) => ({
  issuer: settings.issuer,
  clientId: settings.clientId,
  clientSecretSet: true,
  domains: settings.domains.map(({ domain, status }) => ({ domain, status })),
  defaultRole: settings.defaultRole,
  ssoOnly: settings.ssoOnly,
  version: settings.version,
  updatedAt: settings.updatedAt,
});
