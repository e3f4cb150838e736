import { Injectable, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditService } from '../audit/audit.service';
import { clientNetwork } from '../common/web/client-network';
import { TransactionHost } from '../database/transaction-host';
import { User } from '../tenancy/entities/user.entity';
import { hashPassword, verifyPassword } from '../tenancy/password-hasher';
import { UsersService } from '../tenancy/users.service';
import { AccountAlerts } from './account-alerts';
import { AuthErrorCode, AuthException } from './auth.exception';
import { Claim, SignInThrottle } from './sign-in-throttle';

/** Failed sign-ins one client network may make in the window before it is refused for a while. */
export const CLIENT_FAILURE_LIMIT = 20;
const CLIENT_WINDOW_MINUTES = 15;
/** How long a guess waits, at most, for another guess on the same account to be checked first. */
const BUSY_WAITS_MS = [25, 50, 100, 200, 400, 800];
/**
 * The one answer to a wrong password, an unknown address and an account waiting out a lock alike,
 * so that none of them tells whether an account exists.
 */
export const SIGN_IN_REFUSED =
  'The email address or password is wrong. After repeated wrong passwords, an account takes no sign-in from new networks for a while, and its owner is told by e-mail.';

type Start = { kind: 'throttled' } | { kind: 'unknown' } | { kind: 'account'; user: User; run: string; claim: Claim };

/**
 * Checks credentials with two brakes on guessing, kept in PostgreSQL for every instance: each client
 * network may fail CLIENT_FAILURE_LIMIT times per window (429, whatever the addresses tried), and each
 * account slows guesses from networks it has not signed in from, without slowing its owner at their
 * own (SignInThrottle). A wrong password, an unknown address and a slowed account answer alike, each
 * after one Argon2id verification, and the owner learns of a lock by e-mail.
 */
@Injectable()
export class SignInService implements OnModuleInit {
  private dummyHash = '';

  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
    private readonly alerts: AccountAlerts,
  ) {}

  /** A hash made with the real parameters, so an unknown address costs one verification, as a real one does. */
  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashPassword('not-a-real-password-only-for-timing');
  }

  async verify(email: string, password: string, ip: string | undefined): Promise<User> {
    const networkKey = this.throttle.networkKey(clientNetwork(ip));
    let start = await this.tx.runScoped({}, () => this.start(email, networkKey));
    if (start.kind === 'throttled') {
      throw new AuthException(AuthErrorCode.TooManyAttempts, `Too many failed sign-ins from your network; wait ${CLIENT_WINDOW_MINUTES} minutes and try again.`);
    }
    for (const wait of BUSY_WAITS_MS) {
      if (start.kind !== 'account' || start.claim !== 'busy') break;
      await sleep(wait);
      const account: Extract<Start, { kind: 'account' }> = start;
      const claim = await this.tx.runScoped({}, () => this.throttle.claim(account.user.id, account.run));
      start = { ...account, claim };
    }
    // Always one verification, against a dummy hash for an unknown address, and even while a run waits.
    const matches = await verifyPassword(start.kind === 'account' ? start.user.passwordHash : this.dummyHash, password);
    // A suspended person's right password is refused exactly as a wrong one, and counts as one.
    const signedIn = start.kind === 'account' && start.claim === 'claimed' && matches && !start.user.suspendedAt;
    await this.tx.runScoped({}, () => this.record(start, email, networkKey, signedIn));
    if (!signedIn) throw new AuthException(AuthErrorCode.BadCredentials, SIGN_IN_REFUSED);
    return (start as Extract<Start, { kind: 'account' }>).user;
  }

  private async start(email: string, networkKey: string): Promise<Start> {
    const [{ failures }] = (await this.tx.manager.query(
      `SELECT count(*)::int AS failures FROM sign_in_attempts
        WHERE client = $1 AND NOT succeeded AND attempted_at > now() - make_interval(mins => $2)`,
      [networkKey, CLIENT_WINDOW_MINUTES],
    )) as Array<{ failures: number }>;
    if (failures >= CLIENT_FAILURE_LIMIT) return { kind: 'throttled' };
    const user = await this.users.findByEmail(email);
    if (!user) return { kind: 'unknown' };
    const run = await this.throttle.runFor(user.id, networkKey);
    return { kind: 'account', user, run, claim: await this.throttle.claim(user.id, run) };
  }

  /** Every attempt counts for its network; a checked guess counts in its account's run, and may lock it. */
  private async record(start: Start, email: string, networkKey: string, signedIn: boolean): Promise<void> {
    const manager = this.tx.manager;
    // Attempts matter only within the window; older ones are dropped as new ones arrive.
    await manager.query(`DELETE FROM sign_in_attempts WHERE attempted_at < now() - interval '1 day'`);
    await manager.query(`INSERT INTO sign_in_attempts (client, email, succeeded) VALUES ($1, $2, $3)`, [networkKey, email.trim().toLowerCase(), signedIn]);
    if (start.kind !== 'account' || start.claim !== 'claimed') return;
    if (signedIn) return this.throttle.succeeded(start.user.id, start.run, networkKey);
    const lock = await this.throttle.failed(start.user.id, start.run);
    if (!lock) return;
    const fromNewNetworks = start.run !== networkKey;
    await this.audit.record({
      organizationId: null,
      actorUserId: null,
      action: 'account.locked',
      targetType: 'user',
      targetId: start.user.id,
      data: { until: lock.until.toISOString(), failures: lock.failures, networks: fromNewNetworks ? 'new' : 'known' },
    });
    await this.alerts.signInSlowed({ userId: start.user.id, failures: lock.failures, until: lock.until, fromNewNetworks });
  }
}
