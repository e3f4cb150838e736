import { type Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP's recommended Argon2id parameters: 19 MiB of memory, two passes, one lane.
// (`Algorithm` is a const enum, which isolated modules cannot read: 2 is its Argon2id.)
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
