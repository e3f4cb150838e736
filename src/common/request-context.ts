
export type OrganizationKind = 'provider' | 'monitoring_body';

/** Who is calling: a signed-in user (session) or an organization's API token. */
export interface Caller {
  userId?: string;
  /** The session a signed-in user came with. */
  sessionId?: string;
  tokenId?: string;
  /** For a token, the organization it belongs to and the scopes it was given. */
  tokenOrganizationId?: string;
  tokenScopes?: string[];
  isOperator: boolean;
}

/** The organization a request acts in, resolved from the path and checked against the caller. */
export interface ActiveOrganization {
  id: string;
  slug: string;
  name: string;
  kind: OrganizationKind;
  /** The caller's role in it; undefined for an API token. */
  role?: string;
}

/** Keys of the request context (AsyncLocalStorage through nestjs-cls). */
export const CONTEXT_KEYS = { caller: 'caller', organization: 'organization', manager: 'manager' } as const;
