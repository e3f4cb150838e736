import { Secret, TOTP } from 'otpauth';
import { Client } from './http-client';
import { OPERATOR } from './server';

const STEP_MS = 30_000;

/** The operator's authenticator app, one per server (by port): its secret and the last step it gave a code for. */
const authenticators = new Map<number, { secret: string; lastStep: number }>();

/**
 * The authenticator's code for a step not used yet: the server accepts each step's code once and none
 * older than the last, so a second sign-in within the same 30 seconds waits for the next step.
 */
async function nextCode(authenticator: { secret: string; lastStep: number }): Promise<string> {
  const step = Math.max(Math.floor(Date.now() / STEP_MS), authenticator.lastStep + 1);
  const wait = step * STEP_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 100));
  authenticator.lastStep = step;
  // RFC 6238 as authenticator apps compute it: SHA-1, six digits, thirty-second steps.
  return new TOTP({ secret: Secret.fromBase32(authenticator.secret), algorithm: 'SHA1', digits: 6, period: STEP_MS / 1000 }).generate({ timestamp: step * STEP_MS });
}

/**
 * The operator signed in, as in production: the operator account must set up a second factor before
 * any operator action, so on its first sign-in it enrols an authenticator, and later sign-ins give
 * its code after the password.
 */
export async function signInOperator(port: number): Promise<Client> {
  const operator = new Client(port);
  const login = await operator.expect<{ mfaRequired?: boolean }>(200, 'POST', '/api/v1/auth/login', { body: OPERATOR });
  const authenticator = authenticators.get(port);
  if (login.body.mfaRequired) {
    if (!authenticator) throw new Error('The operator account has a second factor that this run did not set up');
    await operator.expect(200, 'POST', '/api/v1/auth/login/mfa', { body: { code: await nextCode(authenticator) } });
  }
  operator.csrf = (await operator.expect(200, 'GET', '/api/v1/auth/session')).body.csrfToken;
  if (!login.body.mfaRequired) {
    const { secret } = (await operator.expect<{ secret: string }>(201, 'POST', '/api/v1/auth/mfa/totp')).body;
    const enrolled = { secret, lastStep: 0 };
    await operator.expect(200, 'POST', '/api/v1/auth/mfa/totp/confirm', { body: { code: await nextCode(enrolled) } });
    authenticators.set(port, enrolled);
  }
  return operator;
}
