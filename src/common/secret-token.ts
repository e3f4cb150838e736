import { createHash, randomBytes } from 'node:crypto';

/** A random secret for links and API tokens, and the hash it is stored as (the secret never is). */
export function newSecretToken(prefix = ''): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashSecretToken(token) };
}

// The secrets carry 256 bits of entropy, so a fast hash suffices: nothing to brute-force.
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
