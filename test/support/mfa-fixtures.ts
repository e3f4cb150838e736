import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { TestApp } from './test-app';
import { PASSWORD } from './test-app';

/**
 * The code an authenticator app shows for `secret`, computed with the same RFC 6238 library, `ahead`
 * steps of 30 seconds from now. Each code is accepted once and never after a later one, so a test uses
 * the current step, then the next (both stay valid if a step boundary passes in between).
 */
export function totpCode(secret: string, ahead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + ahead * 30_000 });
}

/** Sets up an authenticator for a signed-in person through the API; answers its secret and recovery codes. */
export async function enrolTotp(who: { agent: TestAgent; csrf: string }): Promise<{ secret: string; recoveryCodes: string[] }> {
  const begun = await who.agent.post('/api/v1/auth/mfa/totp').set('X-CSRF-Token', who.csrf).expect(201);
  const confirmed = await who.agent.post('/api/v1/auth/mfa/totp/confirm').set('X-CSRF-Token', who.csrf).send({ code: totpCode(begun.body.secret) }).expect(200);
  return { secret: begun.body.secret as string, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/**
 * As if a minute had passed since the person's last code: the step it was accepted at moves back two,
 * so the test can give the current codes again without waiting. Used only where replay is not the point.
 */
export async function aMinuteLater(t: TestApp, userId: string): Promise<void> {
  await t.sql(`UPDATE totp_factors SET last_step = last_step - 2 WHERE user_id = $1`, [userId]);
}

/** The password step of a sign-in, on a new browser; the session then waits for the code. */
export async function passwordStep(t: TestApp, email: string, password = PASSWORD): Promise<{ agent: TestAgent; body: Record<string, unknown> }> {
  const agent = request.agent(t.server);
  const response = await agent.post('/api/v1/auth/login').send({ email, password }).expect(200);
  return { agent, body: response.body as Record<string, unknown> };
}

/** Both steps of a sign-in with a code; answers the signed-in browser with its CSRF token. */
export async function signInWithCode(t: TestApp, email: string, code: string): Promise<{ agent: TestAgent; csrf: string }> {
  const { agent } = await passwordStep(t, email);
  await agent.post('/api/v1/auth/login/mfa').send({ code }).expect(200);
  const session = await agent.get('/api/v1/auth/session').expect(200);
  return { agent, csrf: session.body.csrfToken as string };
}
