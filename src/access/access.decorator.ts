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
 *   whose role (or token scope) grants `permission`.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'operator' }
  | { kind: 'organization'; permission: Permission };

export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

export const SignedIn = () =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'signed-in' } satisfies AccessRule), ApiCookieAuth('session'));

export const Operator = () =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'operator' } satisfies AccessRule), ApiCookieAuth('session'));

export const OrgAccess = (permission: Permission) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'organization', permission } satisfies AccessRule),
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
