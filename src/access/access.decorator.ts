import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { Permission } from './permissions';

export const ACCESS_RULE = 'adhere:access-rule';

/**
 * Who may call a route. Every route states one; the global access guard refuses a route that does not.
 * - `public`: anyone, signed in or not;
 * - `signed-in`: a person with a session (not an API token);
 * - `operator`: a signed-in platform operator (never an API token: tokens act for an organization);
 * - `organization`: a member of the organization named by the route's `:org` (or one of its API tokens)
 *   whose role (or token scope) grants `permission`; with `verifiedEmail`, a person whose address is
 *   verified too (VERIFIED_EMAIL).
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'operator' }
  | { kind: 'organization'; permission: Permission; verifiedEmail?: true };

/**
 * For acts that bind an organization or speak for it to others (submitting a declaration, deciding on
 * one, inviting people, minting API tokens): a person does them only once their address is proven, so
 * that nobody acts in the name of an address that is not theirs. Permissions are too coarse for it
 * (inviting is one act of `members.manage`), so the route says it: `@OrgAccess(permission, VERIFIED_EMAIL)`.
 */
export const VERIFIED_EMAIL = { verifiedEmail: true } as const;

export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

export const SignedIn = () =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'signed-in' } satisfies AccessRule), ApiCookieAuth('session'));

export const Operator = () =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'operator' } satisfies AccessRule), ApiCookieAuth('session'));

export const OrgAccess = (permission: Permission, options?: typeof VERIFIED_EMAIL) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'organization', permission, ...options } satisfies AccessRule),
    ApiBearerAuth('token'),
    ApiCookieAuth('session'),
  );

export const STEP_UP = 'adhere:step-up';
/** Which posted bodies of a step-up route are the consequential act (all, when absent). */
export type StepUpWhen = (body: Record<string, unknown>) => boolean;

/**
 * A consequential act (a decision, an approval, a suspension, a revocation, a complaint ruling): where
 * the organization requires step-up, a person must have given a second factor within the last 15
 * minutes, or give one with the act (`stepUpCode`).
 */
export const StepUp = (when?: StepUpWhen) => SetMetadata(STEP_UP, when ?? (() => true));
