import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { User } from '../tenancy/entities/user.entity';
import { hashPassword, verifyPassword } from '../tenancy/password-hasher';
import { UsersService } from '../tenancy/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';

/** Failed sign-ins one client may make in the window before it is refused for a while. */
export const CLIENT_FAILURE_LIMIT = 20;
const CLIENT_WINDOW_MINUTES = 15;

type Outcome = { kind: 'ok'; user: User } | { kind: 'bad' } | { kind: 'locked'; until: Date } | { kind: 'throttled' };

/**
 * Checks credentials with two brakes on guessing: each client is limited in failed attempts per
 * window, and an account locks for a while after repeated failures. Attempts are recorded in their own
 * transaction, so a refused sign-in still counts.
 */
@Injectable()
export class SignInService {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async verify(email: string, password: string, client: string): Promise<User> {
    const outcome = await this.tx.runScoped({}, () => this.attempt(email, password, client));
    switch (outcome.kind) {
      case 'ok':
        return outcome.user;
      case 'throttled':
        throw new AuthException(AuthErrorCode.TooManyAttempts, `Too many failed sign-ins from your network; wait ${CLIENT_WINDOW_MINUTES} minutes and try again.`);
      case 'locked':
        throw new AuthException(
          AuthErrorCode.AccountLocked,
          `This account is locked after repeated failed sign-ins until ${outcome.until.toISOString()}; try again later.`,
        );
      case 'bad':
        throw new AuthException(AuthErrorCode.BadCredentials, 'The email address or password is wrong.');
    }
  }

  private async attempt(email: string, password: string, client: string): Promise<Outcome> {
    const manager = this.tx.manager;
    const [{ failures }] = (await manager.query(
      `SELECT count(*)::int AS failures FROM sign_in_attempts
        WHERE client = $1 AND NOT succeeded AND attempted_at > now() - make_interval(mins => $2)`,
      [client, CLIENT_WINDOW_MINUTES],
    )) as Array<{ failures: number }>;
    if (failures >= CLIENT_FAILURE_LIMIT) return { kind: 'throttled' };

    const user = await this.users.findByEmail(email);
    let outcome: Outcome;
    if (!user) {
      // Spend the same time as a real check, so response times do not reveal which emails have accounts.
      await verifyPassword(await this.dummy(), password);
      outcome = { kind: 'bad' };
    } else if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      outcome = { kind: 'locked', until: user.lockedUntil };
    } else {
      const check = await this.users.checkPassword(user, password, { maxFailures: this.config.loginMaxFailures, minutes: this.config.loginLockMinutes });
      outcome = check.ok ? { kind: 'ok', user } : check.lockedUntil ? { kind: 'locked', until: check.lockedUntil } : { kind: 'bad' };
    }
    // Attempts matter only within the window; older ones are dropped as new ones arrive.
    await manager.query(`DELETE FROM sign_in_attempts WHERE attempted_at < now() - interval '1 day'`);
    await manager.query(`INSERT INTO sign_in_attempts (client, email, succeeded) VALUES ($1, $2, $3)`, [
      client,
      email.trim().toLowerCase(),
      outcome.kind === 'ok',
    ]);
    return outcome;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword('not-a-real-password-only-for-timing');
    return this.dummyHash;
  }
}
