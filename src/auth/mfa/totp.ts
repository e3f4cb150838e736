import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as authenticator apps expect it: SHA-1, six digits, thirty-second steps. */
const PERIOD_SECONDS = 30;
/** Steps either side of now a code may come from, for clocks that drift (one step, ±30 seconds). */
const DRIFT_STEPS = 1;
const ISSUER = 'Adhere';

/** A new random secret (160 bits, as RFC 4226 recommends), in the base32 that apps take. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = ''): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** The `otpauth://` address an app reads, from the QR code or typed in. */
export function otpauthUrl(secret: string, accountName: string): string {
  return totp(secret, accountName).toString();
}

/** The time step `code` belongs to, if it is right for `secret` within the drift allowed; otherwise null. */
export function matchingStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: DRIFT_STEPS });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}
