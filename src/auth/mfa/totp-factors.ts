import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import { matchingStep, newTotpSecret, otpauthUrl } from './totp';
import { TotpCipher } from './totp-cipher';

/**
 * A person's authenticator app. Enrolment stores a new secret that counts for nothing until a first
 * code from the app confirms it; a confirmed one accepts each code once: the step of the last code
 * accepted is kept, and a conditional UPDATE raises it, so of two requests with the same code (or an
 * older one) only the first gets through.
 */
@Injectable()
export class TotpFactors {
  private readonly logger = new Logger(TotpFactors.name);

  constructor(
    private readonly tx: TransactionHost,
    private readonly cipher: TotpCipher,
  ) {}

  async isConfirmed(userId: string): Promise<boolean> {
    const rows = (await this.tx.manager.query(`SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`, [userId])) as unknown[];
    return rows.length > 0;
  }

  /** A new secret waiting for its first code, replacing any other that waited. */
  async begin(userId: string, accountName: string): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = newTotpSecret();
    await this.tx.manager.query(`DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL`, [userId]);
    await this.tx.manager.query(`INSERT INTO totp_factors (user_id, secret_ciphertext) VALUES ($1, $2)`, [userId, this.cipher.encrypt(secret)]);
    return { secret, otpauthUrl: otpauthUrl(secret, accountName) };
  }

  /** The secret waiting for its first code, to show again (the page of a refused confirmation); null if none. */
  async waiting(userId: string, accountName: string): Promise<{ secret: string; otpauthUrl: string } | null> {
    const [pending] = (await this.tx.manager.query(`SELECT secret_ciphertext AS secret FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL`, [userId])) as Array<{
      secret: string;
    }>;
    if (!pending) return null;
    const secret = this.cipher.decrypt(pending.secret);
    return { secret, otpauthUrl: otpauthUrl(secret, accountName) };
  }

  /** Confirms the waiting secret with a code from the app; false when there is none or the code is wrong. */
  async confirm(userId: string, code: string): Promise<boolean> {
    const [pending] = (await this.tx.manager.query(`SELECT id, secret_ciphertext AS secret FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL`, [
      userId,
    ])) as Array<{ id: string; secret: string }>;
    const step = pending ? this.step(pending.secret, code) : null;
    if (step === null) return false;
    const [confirmed] = (await this.tx.manager.query(`UPDATE totp_factors SET confirmed_at = now(), last_step = $2 WHERE id = $1 AND confirmed_at IS NULL RETURNING id`, [
      pending.id,
      step,
    ])) as [unknown[], number];
    return confirmed.length > 0;
  }

  /** Accepts a code of the confirmed authenticator once; false for a wrong, used or older code. */
  async use(userId: string, code: string): Promise<boolean> {
    const [factor] = (await this.tx.manager.query(`SELECT id, secret_ciphertext AS secret FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`, [
      userId,
    ])) as Array<{ id: string; secret: string }>;
    const step = factor ? this.step(factor.secret, code) : null;
    if (step === null) return false;
    const [accepted] = (await this.tx.manager.query(`UPDATE totp_factors SET last_step = $2 WHERE id = $1 AND (last_step IS NULL OR last_step < $2) RETURNING id`, [
      factor.id,
      step,
    ])) as [unknown[], number];
    return accepted.length > 0;
  }

  /** Removes the authenticator, confirmed or waiting; answers whether there was a confirmed one. */
  async remove(userId: string): Promise<boolean> {
    const [removed] = (await this.tx.manager.query(`DELETE FROM totp_factors WHERE user_id = $1 RETURNING confirmed_at IS NOT NULL AS confirmed`, [userId])) as [
      Array<{ confirmed: boolean }>,
      number,
    ];
    return removed.some((row) => row.confirmed);
  }

  private step(ciphertext: string, code: string): number | null {
    try {
      return matchingStep(this.cipher.decrypt(ciphertext), code);
    } catch (error) {
      // A secret sealed under another SESSION_SECRET: no code can match it; its owner uses a recovery code.
      this.logger.warn({ err: error }, 'An authenticator secret could not be decrypted');
      return null;
    }
  }
}
