import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../config/app-config.service';
import { SessionSecret } from '../config/session-secret.provider';
import { TransactionHost } from '../database/transaction-host';

/** The run of failures shared by every network an account has not signed in from lately. */
export const NEW_NETWORKS = '*';
/** How long a network an account signed in from keeps a run of its own. */
const KNOWN_NETWORK_DAYS = 90;
/** A run with no failure for this long starts again from nothing. */
const RUN_HOURS = 24;
/** The first wait, doubled by each further failure up to LOGIN_LOCK_MINUTES. */
const FIRST_WAIT_SECONDS = 60;
/** Longest an instance may hold a run while it checks one guess; a crashed instance's claim lapses then. */
const CLAIM_SECONDS = 10;

export type Claim = 'claimed' | 'blocked' | 'busy';

/** A run that has just reached LOGIN_MAX_FAILURES: sign-in through it waits until `until`. */
export interface NewLock {
  failures: number;
  until: Date;
}

/**
 * The per-account brake on guessing, in PostgreSQL so that every instance applies the same one. Each
 * account has one run of failures for the networks it has not signed in from within
 * KNOWN_NETWORK_DAYS, and one for each network it has: guessing from anywhere else never slows its owner
 * at home or at work. Past LOGIN_MAX_FAILURES failures in a run, each failure doubles the wait (from
 * one minute up to LOGIN_LOCK_MINUTES) before the run's next guess is checked at all. One guess at a
 * time is checked in a run (a claim), so a thousand guesses sent at once count as they would in turn.
 * Networks are kept only as HMACs keyed with the session secret.
 */
@Injectable()
export class SignInThrottle {
  constructor(
    private readonly tx: TransactionHost,
    private readonly config: AppConfig,
    private readonly secret: SessionSecret,
  ) {}

  /** The stored key of a client network. */
  networkKey(network: string): string {
    return createHmac('sha256', this.secret.value).update(`sign-in:${network}`).digest('hex');
  }

  /** The run a guess from this network counts in: the network's own if the account signed in from it lately. */
  async runFor(userId: string, networkKey: string): Promise<string> {
    const rows = await this.tx.manager.query(
      `SELECT 1 FROM sign_in_throttles WHERE user_id = $1 AND network = $2 AND signed_in_at > now() - make_interval(days => $3)`,
      [userId, networkKey, KNOWN_NETWORK_DAYS],
    );
    return rows.length > 0 ? networkKey : NEW_NETWORKS;
  }

  /** Takes the run for one guess, unless it is waiting out a lock ('blocked') or checking another guess ('busy'). */
  async claim(userId: string, run: string): Promise<Claim> {
    const claimed = await this.tx.manager.query(
      `INSERT INTO sign_in_throttles AS t (user_id, network, claimed_until) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (user_id, network) DO UPDATE SET claimed_until = excluded.claimed_until
        WHERE coalesce(t.claimed_until, '-infinity') <= now() AND coalesce(t.blocked_until, '-infinity') <= now()
       RETURNING 1`,
      [userId, run, CLAIM_SECONDS],
    );
    if (claimed.length > 0) return 'claimed';
    const [row] = (await this.tx.manager.query(`SELECT blocked_until > now() AS blocked FROM sign_in_throttles WHERE user_id = $1 AND network = $2`, [userId, run])) as Array<{
      blocked: boolean | null;
    }>;
    return row?.blocked ? 'blocked' : 'busy';
  }

  /** A wrong password in a claimed run: counts it, and answers the lock when this failure starts one. */
  async failed(userId: string, run: string): Promise<NewLock | undefined> {
    const maxFailures = this.config.loginMaxFailures;
    const [rows] = (await this.tx.manager.query(
      `UPDATE sign_in_throttles t
          SET failures = n.failures, last_failure_at = now(), claimed_until = NULL,
              blocked_until = CASE WHEN n.failures >= $3
                THEN now() + make_interval(secs => least($4 * power(2, least(n.failures - $3, 20)), $5 * 60)) END
         FROM (SELECT CASE WHEN coalesce(last_failure_at, '-infinity') < now() - make_interval(hours => $6) THEN 1 ELSE failures + 1 END AS failures
                 FROM sign_in_throttles WHERE user_id = $1 AND network = $2) n
        WHERE t.user_id = $1 AND t.network = $2
        RETURNING t.failures, t.blocked_until AS "blockedUntil"`,
      [userId, run, maxFailures, FIRST_WAIT_SECONDS, this.config.loginLockMinutes, RUN_HOURS],
    )) as [Array<{ failures: number; blockedUntil: Date | null }>, number];
    const [result] = rows;
    return result?.failures === maxFailures && result.blockedUntil ? { failures: result.failures, until: new Date(result.blockedUntil) } : undefined;
  }

  /** Until when the account's sign-in is paused from some networks, if it is: the latest lock still running. */
  async lockedUntil(userId: string): Promise<Date | null> {
    const [row] = (await this.tx.manager.query(`SELECT max(blocked_until) AS until FROM sign_in_throttles WHERE user_id = $1 AND blocked_until > now()`, [userId])) as Array<{
      until: Date | null;
    }>;
    return row?.until ? new Date(row.until) : null;
  }

  /** A new password set through a reset link, or the operator's unlock: every run of the account starts again, unlocked. */
  async release(userId: string): Promise<void> {
    await this.tx.manager.query(`UPDATE sign_in_throttles SET failures = 0, last_failure_at = NULL, blocked_until = NULL, claimed_until = NULL WHERE user_id = $1`, [userId]);
  }

  /** The right password: the run starts again, the network counts as the account's own, and stale runs go. */
  async succeeded(userId: string, run: string, networkKey: string): Promise<void> {
    const manager = this.tx.manager;
    await manager.query(`UPDATE sign_in_throttles SET failures = 0, last_failure_at = NULL, blocked_until = NULL, claimed_until = NULL WHERE user_id = $1 AND network = $2`, [
      userId,
      run,
    ]);
    await manager.query(
      `INSERT INTO sign_in_throttles (user_id, network, signed_in_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id, network) DO UPDATE SET signed_in_at = now()`,
      [userId, networkKey],
    );
    await manager.query(
      `DELETE FROM sign_in_throttles
        WHERE user_id = $1 AND coalesce(signed_in_at, '-infinity') < now() - make_interval(days => $2)
          AND coalesce(last_failure_at, '-infinity') < now() - make_interval(hours => $3) AND coalesce(claimed_until, '-infinity') < now()`,
      [userId, KNOWN_NETWORK_DAYS, RUN_HOURS],
    );
  }
}
