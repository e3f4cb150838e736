import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';
import { AuthErrorCode, AuthException } from './auth.exception';

/** Verification links one account may be sent per hour, sign-up's and changes of address included. */
export const VERIFICATION_MAILS_PER_HOUR = 5;

/**
 * The brake on verification mails, counted from the links themselves in PostgreSQL, so that every
 * instance counts alike: nobody can use an account to flood a mailbox, their own or another's.
 */
@Injectable()
export class EmailVerificationLimits {
  constructor(private readonly tx: TransactionHost) {}

  /** Throws 429 when the account has had its links for the hour; call before making another. */
  async admit(userId: string): Promise<void> {
    const manager = this.tx.manager;
    // One request per account at a time, so that concurrent requests cannot all slip under the limit.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`email-verification:${userId}`]);
    const [{ sent }] = (await manager.query(`SELECT count(*)::int AS sent FROM email_verifications WHERE user_id = $1 AND created_at > now() - interval '1 hour'`, [
      userId,
    ])) as Array<{ sent: number }>;
    if (sent >= VERIFICATION_MAILS_PER_HOUR) {
      throw new AuthException(
        AuthErrorCode.TooManyVerificationMails,
        `${VERIFICATION_MAILS_PER_HOUR} verification links were sent for your account within the last hour; use the newest one, or wait an hour and ask again.`,
      );
    }
  }
}
