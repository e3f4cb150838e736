import { Secret, TOTP } from 'otpauth';
import { Client } from './http-client';
import { OPERATOR } from './server';

/**
 * The operator signed in, as on a first sign-in in production: the operator account must set up a
 * second factor before any operator action, so it enrols an authenticator, whose code the bench
 * computes as an authenticator app would (RFC 6238: SHA-1, six digits, thirty-second steps).
 */
export async function signInOperator(port: number): Promise<Client> {
  const operator = new Client(port);
  await operator.expect(200, 'POST', '/api/v1/auth/login', { body: OPERATOR });
  operator.csrf = (await operator.expect(200, 'GET', '/api/v1/auth/session')).body.csrfToken;
  const { secret } = (await operator.expect<{ secret: string }>(201, 'POST', '/api/v1/auth/mfa/totp')).body;
  const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
  await operator.expect(200, 'POST', '/api/v1/auth/mfa/totp/confirm', { body: { code } });
  return operator;
}
