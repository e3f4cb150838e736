import { Injectable } from '@nestjs/common';
import { AccountAlerts } from '../auth/account-alerts';
import { SignInThrottle } from '../auth/sign-in-throttle';
import { UserSessions } from '../auth/user-sessions';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { AdminErrorCode, AdminException, userNotFound } from './admin.exception';

/**
 * The operator stops a person, and lets them back. While suspended, their sign-in is refused exactly as
 * a wrong password, their sessions are gone (ended here, in the same transaction, which waits for their
 * requests in flight), their session restores nobody and the API tokens they created are refused.
 */
@Injectable()
export class PersonSuspension {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly sessions: UserSessions,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
    private readonly alerts: AccountAlerts,
  ) {}

  async suspend(userId: string, reason: string): Promise<void> {
    if (userId === this.context.userId) {
      throw new AdminException(AdminErrorCode.OwnAccount, 'You cannot suspend your own account; another operator can.');
    }
    const at = new Date();
    await this.change(userId, `suspended_at = $2, suspended_reason = $3`, 'suspended_at IS NULL', [at, reason.trim()]);
    await this.sessions.endAll(userId);
    await this.audit.record({ organizationId: null, action: 'account.suspended', targetType: 'user', targetId: userId, data: { reason: reason.trim() } });
    await this.alerts.accountSuspended({ userId, reason: reason.trim(), at });
  }

  /** Lets the person back, with their sign-in brakes cleared: guesses made while suspended say nothing of them. */
  async reactivate(userId: string): Promise<void> {
    await this.change(userId, `suspended_at = NULL, suspended_reason = NULL`, 'suspended_at IS NOT NULL', []);
    await this.throttle.release(userId);
    await this.audit.record({ organizationId: null, action: 'account.reactivated', targetType: 'user', targetId: userId });
    await this.alerts.accountReactivated({ userId, at: new Date() });
  }

  /** Applies the change only from the state it starts from, so that of two operators at once one is told. */
  private async change(userId: string, set: string, from: string, values: unknown[]): Promise<void> {
    const [changed] = (await this.tx.manager.query(`UPDATE users SET ${set} WHERE id = $1 AND ${from} RETURNING id`, [userId, ...values])) as [unknown[], number];
    if (changed.length > 0) return;
    const [user] = (await this.tx.manager.query(`SELECT suspended_at IS NOT NULL AS suspended FROM users WHERE id = $1`, [userId])) as Array<{ suspended: boolean }>;
    if (!user) throw userNotFound();
    throw user.suspended
      ? new AdminException(AdminErrorCode.AlreadySuspended, 'This account is suspended already.')
      : new AdminException(AdminErrorCode.NotSuspended, 'This account is not suspended.');
  }
}
