import { Injectable } from '@nestjs/common';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { TransactionHost } from '../database/transaction-host';
import { UsersService } from '../tenancy/users.service';
import { AccountAlerts } from './account-alerts';
import { AuthErrorCode, AuthException } from './auth.exception';
import { PasswordResetLimits } from './password-reset-limits';
import { SignInThrottle } from './sign-in-throttle';
import { SingleSignOnRule, ssoRequiredMessage } from './single-sign-on-rule';
import { UserSessions } from './user-sessions';

export const RESET_LINK_MINUTES = 30;
/** The one answer to a reset request, whether or not the address has an account. */
export const RESET_REQUESTED = `If an Adhere account uses this address, a link to choose a new password is on its way to it. The link works once, within ${RESET_LINK_MINUTES} minutes.`;
export const RESET_DONE = 'Your password has been changed, and every session signed in to your account was ended. Sign in with the new password.';
export const RESET_LINK_GONE = `This password reset link no longer works: it was used already, it expired ${RESET_LINK_MINUTES} minutes after it was sent, or it is not one Adhere sent. Ask for a new one on the “Forgot your password?” page, /forgot-password.`;

/**
 * Password reset by e-mail: a single-use link, valid for RESET_LINK_MINUTES, of which only the token's
 * SHA-256 is stored. Using it sets the new password and ends every session of the person, and clears
 * the sign-in brakes on the account, whose owner has just proved they read its mail.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
    private readonly limits: PasswordResetLimits,
    private readonly throttle: SignInThrottle,
    private readonly alerts: AccountAlerts,
    private readonly sessions: UserSessions,
    private readonly singleSignOn: SingleSignOnRule,
  ) {}

  /** Sends a link to the account of this address, if there is one and its limit allows; answers alike either way. */
  async request(email: string, ip: string | undefined): Promise<void> {
    await this.refuseSsoOnly(email);
    const admitted = await this.limits.admit(email, ip);
    const user = await this.users.findByEmail(email);
    // The same statements for an unknown address, which inserts nothing, so that it takes as long.
    const { token, hash } = newSecretToken();
    const [reset] = (await this.tx.manager.query(
      `INSERT INTO password_resets (user_id, token_hash, expires_at)
       SELECT $1::uuid, $2, now() + make_interval(mins => $3) WHERE $1::uuid IS NOT NULL
       RETURNING id`,
      [admitted ? (user?.id ?? null) : null, hash, RESET_LINK_MINUTES],
    )) as Array<{ id: string }>;
    if (reset && user) await this.alerts.passwordResetRequested({ userId: user.id, resetId: reset.id, token, minutes: RESET_LINK_MINUTES });
  }

  /** The operator sends a person a link at their request: no limit applies, the operator's act is audited instead. */
  async sendFor(userId: string): Promise<void> {
    const { token, hash } = newSecretToken();
    const [reset] = (await this.tx.manager.query(
      `INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3)) RETURNING id`,
      [userId, hash, RESET_LINK_MINUTES],
    )) as Array<{ id: string }>;
    await this.alerts.passwordResetRequested({ userId, resetId: reset.id, token, minutes: RESET_LINK_MINUTES });
  }

  /** Refuses a link that can no longer set a password (410), before the page asks for one. */
  async check(token: string): Promise<void> {
    const rows = (await this.tx.manager.query(`SELECT 1 FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`, [
      hashSecretToken(token),
    ])) as unknown[];
    if (rows.length === 0) throw this.gone();
  }

  async complete(token: string, password: string): Promise<void> {
    const manager = this.tx.manager;
    // Conditional: of two uses at once, the second waits for the first and then finds the link used.
    const [used] = (await manager.query(
      `UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id AS "userId"`,
      [hashSecretToken(token)],
    )) as [Array<{ userId: string }>, number];
    const userId = used[0]?.userId;
    if (!userId) throw this.gone();
    // A link sent before the organization made SSO its only way in sets no password either.
    const [owner] = (await manager.query(`SELECT email FROM users WHERE id = $1`, [userId])) as Array<{ email: string }>;
    await this.refuseSsoOnly(owner.email);
    await this.users.resetPassword(userId, password);
    // The account's other links were for the password that is gone.
    await manager.query(`UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
    await this.sessions.endAll(userId);
    await this.throttle.release(userId);
    await this.alerts.passwordReset({ userId, at: new Date() });
  }

  /** An address its organization signs in by SSO has no password to reset; saying so tells nothing of any account. */
  private async refuseSsoOnly(email: string): Promise<void> {
    const ssoOnly = await this.singleSignOn.ssoOnlyFor(email);
    if (ssoOnly) throw new AuthException(AuthErrorCode.SsoRequired, ssoRequiredMessage(ssoOnly), { email: [ssoRequiredMessage(ssoOnly)] });
  }

  private gone(): AuthException {
    return new AuthException(AuthErrorCode.ResetLinkExpired, RESET_LINK_GONE);
  }
}
