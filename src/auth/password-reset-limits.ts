import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { clientNetwork } from '../common/web/client-network';
import { SessionSecret } from '../config/session-secret.provider';
import { TransactionHost } from '../database/transaction-host';
import { AuthErrorCode, AuthException } from './auth.exception';

/** Reset links one address is sent per window; further requests are answered alike and send nothing. */
export const RESETS_PER_ADDRESS = 3;
/** Reset requests one client network may make per window, whatever the addresses; then 429. */
export const RESETS_PER_CLIENT = 20;
const WINDOW_MINUTES = 60;

/**
 * The brakes on reset requests, in PostgreSQL so that every instance counts alike. A client network over
 * its limit is refused openly (429: it learns nothing about any account). An address over its limit is
 * not: the request is answered as any other but sends no mail, so the limit tells nobody whether the
 * address has an account, and nobody can flood a mailbox. Addresses and networks are kept only as HMACs
 * keyed with the session secret.
 */
@Injectable()
export class PasswordResetLimits {
  constructor(
    private readonly tx: TransactionHost,
    private readonly secret: SessionSecret,
  ) {}

  /** Counts one request; answers whether the address may be sent a link, or throws when the client is over its limit. */
  async admit(email: string, ip: string | undefined): Promise<boolean> {
    const address = this.key('address', email.trim().toLowerCase());
    const client = this.key('client', clientNetwork(ip));
    const manager = this.tx.manager;
    // One request per address at a time, so that concurrent requests cannot all slip under the limit.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`password-reset:${address}`]);
    const [counts] = (await manager.query(
      `SELECT count(*) FILTER (WHERE client = $2)::int AS "fromClient", count(*) FILTER (WHERE address = $1)::int AS "forAddress"
         FROM password_reset_requests WHERE (address = $1 OR client = $2) AND requested_at > now() - make_interval(mins => $3)`,
      [address, client, WINDOW_MINUTES],
    )) as Array<{ fromClient: number; forAddress: number }>;
    if (counts.fromClient >= RESETS_PER_CLIENT) {
      throw new AuthException(AuthErrorCode.TooManyResets, `Too many password reset requests from your network; wait an hour and try again.`);
    }
    // Requests matter only within the window; older ones are dropped as new ones arrive.
    await manager.query(`DELETE FROM password_reset_requests WHERE requested_at < now() - interval '1 day'`);
    await manager.query(`INSERT INTO password_reset_requests (address, client) VALUES ($1, $2)`, [address, client]);
    return counts.forAddress < RESETS_PER_ADDRESS;
  }

  private key(kind: string, value: string): string {
    return createHmac('sha256', this.secret.value).update(`password-reset-${kind}:${value}`).digest('hex');
  }
}
