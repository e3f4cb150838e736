import { Injectable } from '@nestjs/common';
import { PasswordResetService } from '../auth/password-reset.service';
import { SignInThrottle } from '../auth/sign-in-throttle';
import { AuditService } from '../audit/audit.service';
import { TransactionHost } from '../database/transaction-host';
import { userNotFound } from './admin.exception';

/** What the operator does for a person who cannot sign in: lift the pauses on guessing, or mail a reset link. */
@Injectable()
export class SignInHelp {
  constructor(
    private readonly tx: TransactionHost,
    private readonly throttle: SignInThrottle,
    private readonly resets: PasswordResetService,
    private readonly audit: AuditService,
  ) {}

  async unlock(userId: string): Promise<void> {
    await this.requireUser(userId);
    await this.throttle.release(userId);
    await this.audit.record({ organizationId: null, action: 'account.unlocked', targetType: 'user', targetId: userId });
  }

  /** The link goes to the account's own address, never to the operator. */
  async sendPasswordReset(userId: string): Promise<void> {
    await this.requireUser(userId);
    await this.resets.sendFor(userId);
    await this.audit.record({ organizationId: null, action: 'account.password_reset_sent', targetType: 'user', targetId: userId });
  }

  private async requireUser(userId: string): Promise<void> {
    const rows = (await this.tx.manager.query(`SELECT 1 FROM users WHERE id = $1`, [userId])) as unknown[];
    if (rows.length === 0) throw userNotFound();
  }
}
