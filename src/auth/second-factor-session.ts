import type { Request } from 'express';
import { startSession } from './session';

/** The ways a person can prove a second factor. */
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

/** How long a password, once checked, waits for its second factor before the sign-in starts over. */
export const PENDING_SIGN_IN_MS = 5 * 60_000;

declare module 'express-session' {
  interface SessionData {
    /** A sign-in whose password was right and whose second factor is still owed; nobody is signed in yet. */
    pendingSignIn?: { userId: string; methods: SecondFactorMethod[]; since: number };
    /** When this session last proved a second factor (epoch ms): at sign-in, or later for a step-up. */
    secondFactorAt?: number;
  }
}

function regenerate(request: Request): Promise<void> {
  return new Promise((resolve, reject) => request.session.regenerate((error) => (error ? reject(error) : resolve())));
}

/**
 * The password was right and the person has a second factor: the session remembers whom it is waiting
 * for, under a new id, and stays signed out, so it can do nothing until the factor is given.
 */
export async function awaitSecondFactor(request: Request, userId: string, methods: SecondFactorMethod[]): Promise<void> {
  await regenerate(request);
  request.session.pendingSignIn = { userId, methods, since: Date.now() };
}

/** The sign-in waiting for its second factor on this session, unless there is none or it waited too long. */
export function pendingSignIn(request: Request): { userId: string; methods: SecondFactorMethod[] } | undefined {
  const pending = request.session?.pendingSignIn;
  if (!pending || Date.now() - pending.since > PENDING_SIGN_IN_MS) return undefined;
  return { userId: pending.userId, methods: pending.methods };
}

/** The second factor was given: the person is signed in on a fresh session that remembers when. */
export async function completeSignIn(request: Request, user: { id: string }): Promise<void> {
  await startSession(request, user);
  delete request.session.pendingSignIn;
  request.session.secondFactorAt = Date.now();
}

/** A signed-in person proved a second factor again (a step-up before a consequential act). */
export function markSecondFactor(request: Request): void {
  request.session.secondFactorAt = Date.now();
}

/** Whether this session proved a second factor within the last `ms` milliseconds. */
export function secondFactorWithin(request: Request, ms: number): boolean {
  const at = request.session?.secondFactorAt;
  return typeof at === 'number' && Date.now() - at <= ms;
}
