import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import type { PendingSetup } from '../common/logging/startup-banner';
import { passwordWeakness } from '../common/validation/password-strength';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { User } from '../tenancy/entities/user.entity';
import { UsersService } from '../tenancy/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';

const SETUP_LINK_HOURS = 24;
const LINK_UNAVAILABLE = 'This setup link is not valid: it was used, it expired, or an operator already exists.';

/**
 * Makes sure the platform has an operator: from OPERATOR_EMAIL and OPERATOR_PASSWORD for unattended
 * installs, or else through a one-time setup link printed at start-up while no operator exists.
 */
@Injectable()
export class OperatorSetupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Setup');
  private issued?: PendingSetup;

  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const credentials = this.config.operatorCredentials;
    if (credentials) {
      await this.tx.runScoped({}, async () => {
        // Instances that start at once take turns here: the second finds the account the first created.
        await this.lockSetup();
        const existing = await this.users.findByEmail(credentials.email);
        if (!existing) {
          // Checked here, not with the other settings: only a password that creates the account matters.
          const weakness = passwordWeakness(credentials.password, [credentials.email]);
          if (weakness) throw new Error(`OPERATOR_PASSWORD is too easy to guess: ${weakness} Choose a longer one, e.g. several unrelated words.`);
          // The installation's own settings name the address: it is the operator's by definition.
          const user = await this.users.create({ email: credentials.email, name: 'Operator', password: credentials.password, isOperator: true, emailVerified: true });
          await this.audit.record({ organizationId: null, actorUserId: null, action: 'account.operator_created', targetType: 'user', targetId: user.id });
          this.logger.log(`Created the operator account ${credentials.email}.`);
        } else if (!existing.isOperator) {
          await this.users.makeOperator(existing.id);
          this.logger.log(`Made ${credentials.email} an operator.`);
        }
        if (existing) await this.users.markEmailVerified(existing.id, credentials.email);
      });
      return;
    }
    const token = await this.tx.runScoped({}, async () => {
      await this.lockSetup();
      if (await this.users.anyOperatorExists()) return undefined;
      const { token, hash } = newSecretToken();
      await this.tx.manager.query(`DELETE FROM setup_tokens WHERE used_at IS NULL`);
      await this.tx.manager.query(`INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + make_interval(hours => $2))`, [hash, SETUP_LINK_HOURS]);
      return token;
    });
    if (token) {
      this.issued = { link: `${this.config.publicUrl}/setup/${token}`, hours: SETUP_LINK_HOURS };
      this.logger.warn(`No operator account exists yet. Create it within ${SETUP_LINK_HOURS} hours at: ${this.issued.link}`);
    }
  }

  /** The set-up link this start printed, for the start-up banner; undefined when none was needed. */
  get pendingSetup(): PendingSetup | undefined {
    return this.issued;
  }

  /** Whether a setup link can still be used; answers as "not found" otherwise. */
  async checkLink(token: string): Promise<void> {
    const [row] = (await this.tx.manager.query(
      `SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
      [hashSecretToken(token)],
    )) as unknown[];
    if (!row || (await this.users.anyOperatorExists())) {
      throw new AuthException(AuthErrorCode.SetupUnavailable, LINK_UNAVAILABLE);
    }
  }

  /** Creates the operator's account, in a transaction of its own: the route signs the new account in once it is committed. */
  createOperator(token: string, input: { email: string; name: string; password: string }): Promise<User> {
    return this.tx.runScoped({}, async () => {
      await this.lockSetup();
      await this.checkLink(token);
      // Whoever holds the link printed in the server's log is the installation's owner, whose word the address is.
      const user = await this.users.create({ ...input, isOperator: true, emailVerified: true });
      // The use itself, conditional like the check: the link is used once, and only while it is valid.
      const [used] = (await this.tx.manager.query(`UPDATE setup_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING 1`, [
        hashSecretToken(token),
      ])) as [unknown[], number];
      if (used.length === 0) throw new AuthException(AuthErrorCode.SetupUnavailable, LINK_UNAVAILABLE);
      await this.audit.record({ organizationId: null, actorUserId: user.id, action: 'account.operator_created', targetType: 'user', targetId: user.id });
      return user;
    });
  }

  /** Held until the transaction ends: one instance or request at a time creates the operator or its link. */
  private async lockSetup(): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('operator-setup', 0))`);
  }
}
