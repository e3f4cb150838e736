import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { TransactionHost } from '../../database/transaction-host';
import { AccountAlerts } from '../account-alerts';
import { AuthErrorCode, AuthException } from '../auth.exception';
import type { SecondFactorMethod } from '../second-factor-session';
import { RecoveryCodes } from './recovery-codes';
import { TotpFactors } from './totp-factors';

/** Wrong codes one person may enter within the window before codes are refused for a while. */
export const CODE_FAILURE_LIMIT = 10;
const WINDOW_MINUTES = 15;
export const WRONG_CODE = 'The code is wrong or was used already. Enter the current six-digit code from your authenticator app, or one of your unused recovery codes.';

type Outcome = { kind: 'proved'; method: SecondFactorMethod } | { kind: 'wrong' } | { kind: 'throttled' };

/**
 * Checks a second factor given as a code: a current TOTP code, or an unused recovery code. It opens
 * its own transaction, so that a wrong code is counted even though the request is refused: at most
 * CODE_FAILURE_LIMIT wrong codes per person per window, and six digits cannot be guessed at leisure.
 * A recovery code spent is audited and its owner told by e-mail.
 */
@Injectable()
export class SecondFactorCheck {
  constructor(
    private readonly tx: TransactionHost,
    private readonly totp: TotpFactors,
    private readonly recovery: RecoveryCodes,
    private readonly audit: AuditService,
    private readonly alerts: AccountAlerts,
  ) {}

  /** The method that proved it, or 401 naming `field` (429 past the limit). Call outside a transaction. */
  async prove(userId: string, code: string, field = 'code'): Promise<SecondFactorMethod> {
    const outcome = await this.tx.runScoped({ userId }, () => this.attempt(userId, code.trim()));
    if (outcome.kind === 'throttled') {
      throw new AuthException(AuthErrorCode.TooManyCodes, `Too many wrong codes for this account; wait ${WINDOW_MINUTES} minutes and try again.`);
    }
    if (outcome.kind === 'wrong') throw new AuthException(AuthErrorCode.WrongCode, WRONG_CODE, { [field]: ['The code is wrong or was used already'] });
    return outcome.method;
  }

  private async attempt(userId: string, code: string): Promise<Outcome> {
    const manager = this.tx.manager;
    // One check per person at a time, so that concurrent guesses cannot all slip under the limit.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`second-factor:${userId}`]);
    const [{ failures }] = (await manager.query(
      `SELECT count(*)::int AS failures FROM second_factor_failures WHERE user_id = $1 AND failed_at > now() - make_interval(mins => $2)`,
      [userId, WINDOW_MINUTES],
    )) as Array<{ failures: number }>;
    if (failures >= CODE_FAILURE_LIMIT) return { kind: 'throttled' };
    const method = await this.spend(userId, code);
    if (!method) {
      await manager.query(`DELETE FROM second_factor_failures WHERE failed_at < now() - interval '1 day'`);
      await manager.query(`INSERT INTO second_factor_failures (user_id) VALUES ($1)`, [userId]);
      return { kind: 'wrong' };
    }
    await manager.query(`DELETE FROM second_factor_failures WHERE user_id = $1`, [userId]);
    return { kind: 'proved', method };
  }

  private async spend(userId: string, code: string): Promise<SecondFactorMethod | undefined> {
    if (/^\d{6}$/.test(code)) return (await this.totp.use(userId, code)) ? 'totp' : undefined;
    const left = await this.recovery.use(userId, code);
    if (left === null) return undefined;
    await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.recovery_code_used', targetType: 'user', targetId: userId, data: { left } });
    await this.alerts.recoveryCodeUsed({ userId, left, at: new Date() });
    return 'recovery_code';
  }
}
