import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';

/** A person's signed-in sessions, as the session store keeps them (Passport's user id in `sess`). */
@Injectable()
export class UserSessions {
  constructor(private readonly tx: TransactionHost) {}

  /** Ends every session of the person, but `keepSessionId` when given (the one asking). */
  async endAll(userId: string, keepSessionId?: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM sessions WHERE sess -> 'passport' ->> 'user' = $1 AND sid IS DISTINCT FROM $2`, [userId, keepSessionId ?? null]);
  }

  /** How many sessions of the person are signed in now. */
  async count(userId: string): Promise<number> {
    const [{ count }] = (await this.tx.manager.query(`SELECT count(*)::int AS count FROM sessions WHERE sess -> 'passport' ->> 'user' = $1 AND expire > now()`, [
      userId,
    ])) as Array<{ count: number }>;
    return count;
  }
}
