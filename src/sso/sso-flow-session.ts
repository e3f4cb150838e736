import type { Request } from 'express';

/** How long a sign-in may stay at the identity provider before its callback is refused. */
export const SSO_FLOW_MS = 10 * 60_000;

/** The secrets of one sign-in at an identity provider, kept server-side in the session until its callback. */
export interface SsoFlow {
  organizationId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  since: number;
}

declare module 'express-session' {
  interface SessionData {
    ssoFlow?: SsoFlow;
    /**
     * This session was signed in by an organization's identity provider. It proves no second factor to
     * Adhere: `secondFactorAt` stays unset, so requireMfa and step-up ask for one of Adhere's factors.
     */
    ssoSignIn?: { organizationId: string; at: number };
  }
}

/** The flow waiting for its callback, taken out of the session so that it can be used once only. */
export function takeSsoFlow(request: Request): SsoFlow | undefined {
  const flow = request.session?.ssoFlow;
  if (request.session) delete request.session.ssoFlow;
  return flow && Date.now() - flow.since <= SSO_FLOW_MS ? flow : undefined;
}
