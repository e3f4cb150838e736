import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service';
import { TransactionHost } from '../../database/transaction-host';
import { UsersService } from '../../tenancy/users.service';
import { AccountAlerts } from '../account-alerts';
import { AuthErrorCode, AuthException } from '../auth.exception';
import { SecondFactorProof, type FactorProof } from '../passkeys/second-factor-proof';
import { RecoveryCodes } from './recovery-codes';
import { SecondFactorCheck } from './second-factor-check';
import { TotpFactors } from './totp-factors';

/**
 * Adding and removing an authenticator, and the recovery codes that come with it. Adding takes a code
 * from the app (proof that it holds the secret); removing takes the password and a second factor, so
 * that neither a stolen password nor an unattended session alone can strip an account of its factor.
 * Every change is audited and its owner told by e-mail.
 */
@Injectable()
export class MfaEnrolment {
  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
    private readonly totp: TotpFactors,
    private readonly recovery: RecoveryCodes,
    private readonly check: SecondFactorCheck,
    private readonly proof: SecondFactorProof,
    private readonly audit: AuditService,
    private readonly alerts: AccountAlerts,
  ) {}

  /** A new secret to put into the app; it counts once confirmed. 409 while an authenticator is enrolled. */
  async begin(userId: string, email: string): Promise<{ secret: string; otpauthUrl: string }> {
    if (await this.totp.isConfirmed(userId)) {
      throw new AuthException(AuthErrorCode.MfaAlreadyEnrolled, 'Your account already has an authenticator app. To move to another one, remove it first (with your password and a code), then set up the new one.');
    }
    return this.totp.begin(userId, email);
  }

  /** Confirms the new authenticator with its first code; answers the ten recovery codes, shown this once. */
  async confirm(userId: string, code: string): Promise<string[]> {
    if (await this.totp.isConfirmed(userId)) {
      throw new AuthException(AuthErrorCode.MfaAlreadyEnrolled, 'Your account already has an authenticator app.');
    }
    if (!(await this.totp.confirm(userId, code.trim()))) {
      const started = (await this.tx.manager.query(`SELECT 1 FROM totp_factors WHERE user_id = $1`, [userId])) as unknown[];
      if (started.length === 0) throw new AuthException(AuthErrorCode.EnrolmentNotStarted, 'Start by setting up an authenticator (POST /api/v1/auth/mfa/totp), then confirm it with a code from the app.');
      throw new AuthException(AuthErrorCode.WrongCode, 'The code does not match the new authenticator. Enter the six-digit code the app shows now; check that the phone’s clock is right.', {
        code: ['The code does not match the new authenticator'],
      });
    }
    const codes = await this.recovery.issue(userId);
    await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.second_factor_added', targetType: 'user', targetId: userId, data: { method: 'totp' } });
    await this.alerts.secondFactorChanged({ userId, method: 'totp', change: 'added', at: new Date() });
    return codes;
  }

  /**
   * Removes the authenticator, with the password and any factor (a code, or a passkey's answer); its
   * recovery codes go with it, as they stand in for the app.
   */
  async removeTotp(request: Request, userId: string, password: string, factor: FactorProof): Promise<void> {
    const enrolled = await this.tx.runScoped({ userId }, async () => {
      if (!(await this.users.checkPassword(userId, password))) {
        throw new AuthException(AuthErrorCode.WrongPassword, 'The password is wrong.', { password: ['The password is wrong'] });
      }
      return this.totp.isConfirmed(userId);
    });
    if (!enrolled) throw new AuthException(AuthErrorCode.NoSecondFactor, 'Your account has no authenticator app to remove.');
    await this.proof.prove(request, userId, factor);
    await this.tx.runScoped({ userId }, async () => {
      if (!(await this.totp.remove(userId))) return;
      await this.recovery.clear(userId);
      await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.second_factor_removed', targetType: 'user', targetId: userId, data: { method: 'totp' } });
      await this.alerts.secondFactorChanged({ userId, method: 'totp', change: 'removed', at: new Date() });
    });
  }

  /** Ten new recovery codes in place of the old ones, with a factor. */
  async regenerateRecoveryCodes(userId: string, code: string): Promise<string[]> {
    const enrolled = await this.tx.runScoped({ userId }, () => this.totp.isConfirmed(userId));
    if (!enrolled) throw new AuthException(AuthErrorCode.NoSecondFactor, 'Recovery codes stand in for a second factor; set up an authenticator app first.');
    await this.check.prove(userId, code);
    return this.tx.runScoped({ userId }, async () => {
      const codes = await this.recovery.issue(userId);
      await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.recovery_codes_renewed', targetType: 'user', targetId: userId });
      return codes;
    });
  }
}
