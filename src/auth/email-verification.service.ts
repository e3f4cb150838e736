import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { TransactionHost } from '../database/transaction-host';
import { UsersService } from '../tenancy/users.service';
import { AccountAlerts } from './account-alerts';
import { AuthErrorCode, AuthException } from './auth.exception';
import { EmailVerificationLimits } from './email-verification-limits';

export const VERIFICATION_LINK_HOURS = 24;
export const VERIFY_LINK_GONE = `This e-mail verification link no longer works: it was used already, it expired ${VERIFICATION_LINK_HOURS} hours after it was sent, or it is not one Adhere sent. Send a new one from your account page, /account.`;

export interface Verified {
  userId: string;
  email: string;
  /** The account's address changed to `email` with this link (otherwise it proved the address it had). */
  changed: boolean;
}

/**
 * Proving that a person receives mail at an address: a single-use link, valid for
 * VERIFICATION_LINK_HOURS, of which only the token's SHA-256 is stored. A link proves either the
 * account's own address or the new one it asked to change to; the change takes effect only then.
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
    private readonly limits: EmailVerificationLimits,
    private readonly alerts: AccountAlerts,
    private readonly audit: AuditService,
  ) {}

  /** Mails a link proving `email` for the account, in the caller's transaction. */
  async send(userId: string, email: string, change = false): Promise<void> {
    await this.limits.admit(userId);
    const { token, hash } = newSecretToken();
    const [link] = (await this.tx.manager.query(
      `INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING id`,
      [userId, email.trim(), hash, VERIFICATION_LINK_HOURS],
    )) as Array<{ id: string }>;
    await this.alerts.emailVerificationRequested({ verificationId: link.id, email: email.trim(), token, hours: VERIFICATION_LINK_HOURS, change });
  }

  /** Sends the signed-in person a new link for their address, unless it is verified already. */
  async resend(userId: string): Promise<string> {
    const user = await this.users.findById(userId);
    if (user.emailVerifiedAt) throw new AuthException(AuthErrorCode.EmailAlreadyVerified, `${user.email} is verified already; there is nothing to confirm.`);
    await this.send(user.id, user.email);
    return user.email;
  }

  /** The address a link would prove, or 410 when it can no longer prove one; reads only, so a prefetch spends nothing. */
  async check(token: string): Promise<{ email: string }> {
    const [row] = (await this.tx.manager.query(`SELECT email FROM email_verifications WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`, [
      hashSecretToken(token),
    ])) as Array<{ email: string }>;
    if (!row) throw this.gone();
    return row;
  }

  async verify(token: string): Promise<Verified> {
    const manager = this.tx.manager;
    // Conditional: of two uses at once, the second waits for the first and then finds the link used.
    const [used] = (await manager.query(
      `UPDATE email_verifications SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id AS "userId", email`,
      [hashSecretToken(token)],
    )) as [Array<{ userId: string; email: string }>, number];
    const link = used[0];
    if (!link) throw this.gone();
    if (await this.users.markEmailVerified(link.userId, link.email)) {
      await this.spendOpenLinks(link.userId, link.email);
      await this.audit.record({ organizationId: null, actorUserId: link.userId, action: 'account.email_verified', targetType: 'user', targetId: link.userId });
      return { ...link, changed: false };
    }
    // A new address: another account may have taken it since the request (409, and the link stays unused).
    const { oldEmail } = await this.users.changeEmail(link.userId, link.email);
    // Links for the old address, or for other new ones asked for meanwhile, speak for an address no more.
    await this.spendOpenLinks(link.userId);
    await this.alerts.emailChanged({ userId: link.userId, oldEmail, newEmail: link.email, at: new Date() });
    return { ...link, changed: true };
  }

  /** The new address the account asked to change to and has not confirmed yet, if any. */
  async pendingChange(userId: string): Promise<string | undefined> {
    const [row] = (await this.tx.manager.query(
      `SELECT v.email FROM email_verifications v JOIN users u ON u.id = v.user_id
        WHERE v.user_id = $1 AND v.used_at IS NULL AND v.expires_at > now() AND lower(v.email) <> lower(u.email)
        ORDER BY v.created_at DESC LIMIT 1`,
      [userId],
    )) as Array<{ email: string }>;
    return row?.email;
  }

  private async spendOpenLinks(userId: string, email?: string): Promise<void> {
    await this.tx.manager.query(`UPDATE email_verifications SET used_at = now() WHERE user_id = $1 AND used_at IS NULL AND ($2::text IS NULL OR lower(email) = lower($2))`, [
      userId,
      email ?? null,
    ]);
  }

  private gone(): AuthException {
    return new AuthException(AuthErrorCode.VerificationLinkExpired, VERIFY_LINK_GONE);
  }
}
