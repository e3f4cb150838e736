import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { StepUpWhen } from '../access/access.decorator';
import { AppConfig } from '../config/app-config.service';
import type { MembershipSummary } from '../tenancy/memberships.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { hasSecondFactor } from './mfa/second-factors';
import { SecondFactorCheck } from './mfa/second-factor-check';
import { markSecondFactor, secondFactorWithin } from './second-factor-session';
import { SessionUser } from './session-user';

/** How recent a second factor must be for a consequential act, where the organization requires step-up. */
export const STEP_UP_WINDOW_MS = 15 * 60_000;
/** The field a page form (or an API body) may carry to give the second factor with the act itself. */
export const STEP_UP_FIELD = 'stepUpCode';
const ENROL = 'Set up an authenticator app or a passkey on your account page, /account (the enrolment routes under /api/v1/auth/mfa and /api/v1/auth/passkeys stay open to you), then try again.';

/**
 * What organizations and the platform demand of a signed-in person's second factor, applied by
 * AccessGuard to sessions only: API tokens act for an organization, and none may make the acts that
 * step-up covers.
 */
@Injectable()
export class SecondFactorPolicy {
  constructor(
    private readonly config: AppConfig,
    private readonly check: SecondFactorCheck,
  ) {}

  /** In production, the operator account enrols a factor before any operator action. */
  requireForOperator(user: SessionUser): void {
    if (!this.config.isProduction || hasSecondFactor(user.secondFactors)) return;
    throw new AuthException(AuthErrorCode.MfaRequired, `The operator account needs a second factor before any operator action. ${ENROL}`);
  }

  /** An organization that requires a factor refuses members without one, whatever the route. */
  requireForOrganization(user: SessionUser, membership: MembershipSummary): void {
    if (!membership.security.requireMfa || hasSecondFactor(user.secondFactors)) return;
    throw new AuthException(AuthErrorCode.MfaRequired, `${membership.organization.name} requires a second factor of its members. ${ENROL}`);
  }

  /**
   * A consequential act where the organization requires step-up: a factor within STEP_UP_WINDOW_MS, or
   * a code posted with the act, which is checked and taken out of the body before validation sees it.
   */
  async requireStepUp(request: Request, membership: MembershipSummary, when: StepUpWhen | undefined): Promise<void> {
    if (!when) return;
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const code = body[STEP_UP_FIELD];
    delete body[STEP_UP_FIELD];
    if (!membership.security.requireStepUp || !when(body)) return;
    if (secondFactorWithin(request, STEP_UP_WINDOW_MS)) return;
    const user = request.user as SessionUser;
    if (!hasSecondFactor(user.secondFactors)) {
      throw new AuthException(AuthErrorCode.MfaRequired, `${membership.organization.name} requires a fresh second factor for this act, and your account has none. ${ENROL}`);
    }
    if (typeof code === 'string' && code.trim() !== '') {
      await this.check.prove(user.id, code, STEP_UP_FIELD);
      markSecondFactor(request);
      return;
    }
    const hasApp = user.secondFactors.includes('totp');
    const ways = [
      hasApp ? `enter a code from your authenticator app (on the page, or as "${STEP_UP_FIELD}" with the request, or first through POST /api/v1/auth/step-up)` : '',
      user.secondFactors.includes('passkey') ? 'confirm with a passkey (on the page, or first through POST /api/v1/auth/step-up/passkey)' : '',
    ].filter(Boolean);
    throw new AuthException(
      AuthErrorCode.StepUpRequired,
      `${membership.organization.name} requires a second factor given within the last 15 minutes for this act: ${ways.join(', or ')}.`,
      { [STEP_UP_FIELD]: [hasApp ? 'Enter the six-digit code from your authenticator app to confirm this act' : 'Confirm this act with your passkey'] },
    );
  }
}
