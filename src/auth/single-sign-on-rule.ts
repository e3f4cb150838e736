/** An organization that makes its identity provider the only way in for the addresses of its domains. */
export interface SsoOnlyOrganization {
  name: string;
}

/**
 * Whether an address must sign in through its organization's identity provider. Password sign-in and
 * password reset ask it; src/sso, above auth in the layers, provides it (a global provider), as
 * src/notifications provides AccountAlerts. Called inside an open transaction.
 */
export abstract class SingleSignOnRule {
  abstract ssoOnlyFor(email: string): Promise<SsoOnlyOrganization | undefined>;
}

/** Where a person whose password is refused for single sign-on goes instead. */
export const SSO_SIGN_IN_PAGE = '/signin/sso';

export function ssoRequiredMessage(organization: SsoOnlyOrganization): string {
  return `${organization.name} signs its members in through its own identity provider, so Adhere takes no password for this address. Use “Sign in with your organization” at ${SSO_SIGN_IN_PAGE}.`;
}
