import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hashSecretToken } from '../../common/secret-token';
import { TransactionHost } from '../../database/transaction-host';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** 16 base32 characters (80 random bits) in groups of four, easy to copy down. */
function newRecoveryCode(): string {
  const characters = [...randomBytes(16)].map((byte) => ALPHABET[byte % 32]).join('');
  return characters.match(/.{4}/g)!.join('-');
}

/** How a typed code is compared: case, spaces and hyphens do not matter. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * Single-use codes that stand in for the authenticator when it is lost. Only their SHA-256 is stored
 * (80 random bits each: nothing to gain from a slow hash); a conditional UPDATE spends one, so a code
 * used twice at once works once.
 */
@Injectable()
export class RecoveryCodes {
  constructor(private readonly tx: TransactionHost) {}

  /** Ten new codes, replacing all earlier ones; the only time they are ever seen. */
  async issue(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.clear(userId);
    await this.tx.manager.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`, [
      userId,
      codes.map((code) => hashSecretToken(normalizeRecoveryCode(code))),
    ]);
    return codes;
  }

  /** Spends a code; answers how many are left, or null when it is not an unused code of this person. */
  async use(userId: string, code: string): Promise<number | null> {
    const [spent] = (await this.tx.manager.query(`UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`, [
      userId,
      hashSecretToken(normalizeRecoveryCode(code)),
    ])) as [unknown[], number];
    if (spent.length === 0) return null;
    const [{ left }] = (await this.tx.manager.query(`SELECT count(*)::int AS left FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [userId])) as Array<{
      left: number;
    }>;
    return left;
  }

  async clear(userId: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
  }
}
