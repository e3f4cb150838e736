import type { Request } from 'express';
import { PasskeyErrorCode, PasskeyException } from './passkeys.exception';

/** What a challenge was issued for: it answers only that. */
export type ChallengePurpose = 'enrol' | 'sign-in' | 'step-up';

/** How long the browser has to get the authenticator's answer back. */
export const CHALLENGE_MS = 5 * 60_000;

declare module 'express-session' {
  interface SessionData {
    /** The one WebAuthn challenge this session is waiting to have answered. */
    passkeyChallenge?: { purpose: ChallengePurpose; challenge: string; userId?: string; expires: number };
  }
}

/** Keeps a new challenge on the session, replacing any earlier one, which can no longer be answered. */
export function keepChallenge(request: Request, purpose: ChallengePurpose, challenge: string, userId?: string): void {
  request.session.passkeyChallenge = { purpose, challenge, userId, expires: Date.now() + CHALLENGE_MS };
}

/**
 * Takes the session's challenge for `purpose` off it: whatever comes next, it is never answered twice.
 * None, an expired one, or one issued for something else or for someone else (`forUserId`) is a 401
 * that says to ask again.
 */
export function takeChallenge(request: Request, purpose: ChallengePurpose, forUserId?: string): { challenge: string; userId?: string } {
  const kept = request.session?.passkeyChallenge;
  if (kept) delete request.session.passkeyChallenge;
  if (!kept || kept.purpose !== purpose || kept.expires < Date.now() || (forUserId !== undefined && kept.userId !== forUserId)) {
    throw new PasskeyException(
      PasskeyErrorCode.NoChallenge,
      'No passkey request is waiting on this session: it was answered already, it expired after 5 minutes, or it was asked for something else. Ask for new options and try again.',
    );
  }
  return { challenge: kept.challenge, userId: kept.userId };
}
