import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMinutes } from './delivery-backoff';
import { MailTransport } from './mail-transport';
import { MailableNotification, notificationMail, Recipient } from './notification-mail';

/** Notifications claimed per query; a run claims again until fewer come back. */
const BATCH_SIZE = 50;
/**
 * How long a claimed notification is left to the worker that claimed it, and how long a mail may stay
 * "sending" before it counts as interrupted: far longer than one mail can take within the SMTP timeouts.
 */
const LEASE_MINUTES = 10;
const ERROR_LENGTH = 1_000;
const INTERRUPTED = 'Interrupted while sending; not tried again, so that nobody can get two copies';
const NOBODY = 'Nobody in the organization matches these users or roles';

/** What one run did, counted in mails: one per recipient. */
export interface DeliveryRun {
  /** Notifications it claimed. */
  notifications: number;
  sent: number;
  logged: number;
  /** Mails that failed this time and will be tried again later. */
  deferred: number;
  /** Mails given up: out of attempts, or interrupted while sending. */
  failed: number;
}

interface ClaimedNotification extends MailableNotification {
  /** This attempt's number, counted when it was claimed. */
  attempts: number;
}

type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'logged' | 'failed';

/**
 * Delivers the outbox. It runs outside requests, as the database owner (the application role cannot
 * read the outbox), and may run in several instances at once, or twice in one:
 * - a notification is claimed with FOR UPDATE SKIP LOCKED, which also leases it for LEASE_MINUTES, so
 *   concurrent runs take different ones;
 * - its recipients are resolved from the organization's members (and the addresses it names) once, on
 *   the first attempt, into one delivery row per address;
 * - each mail is marked "sending" (committed) before it leaves and "sent" right after, and only a
 *   "pending" mail can become "sending": nobody gets a copy twice, even when a run dies mid-send.
 * Failures are tried again with exponential backoff, up to MAX_DELIVERY_ATTEMPTS attempts.
 */
@Injectable()
export class NotificationDelivery {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {}

  /**
   * Delivers every notification that is due. Call it outside any transaction: it takes connections of
   * its own, and the embedded database has only one.
   */
  async deliverDue(): Promise<DeliveryRun> {
    const run: DeliveryRun = { notifications: 0, sent: 0, logged: 0, deferred: 0, failed: 0 };
    let claimed: ClaimedNotification[];
    do {
      claimed = await this.claim();
      run.notifications += claimed.length;
      for (const notification of claimed) await this.deliver(notification, run);
    } while (claimed.length === BATCH_SIZE);
    return run;
  }

  private async claim(): Promise<ClaimedNotification[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE notifications SET attempts = attempts + 1, next_attempt_at = now() + make_interval(mins => $2)
        WHERE id IN (SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, subject, body, link, attempts`,
      [BATCH_SIZE, LEASE_MINUTES],
    )) as [ClaimedNotification[], number];
    return rows;
  }

  private async deliver(notification: ClaimedNotification, run: DeliveryRun): Promise<void> {
    await this.resolveRecipients(notification.id);
    const interrupted = await this.giveUpInterrupted(notification.id);
    run.failed += interrupted;
    let lastError = interrupted > 0 ? INTERRUPTED : undefined;
    for (const recipient of await this.pendingRecipients(notification.id)) {
      if (!(await this.startSending(notification.id, recipient.email))) continue;
      try {
        await this.transport.send(notificationMail(notification, recipient, this.config.publicUrl));
      } catch (error) {
        lastError = describe(error);
        // An address that belongs to no member stays out of the log.
        this.logger.warn(`Notification ${notification.id} to ${recipient.userId ? `user ${recipient.userId}` : 'an address given with it'} failed (attempt ${notification.attempts}): ${lastError}`);
        await this.setDelivery(notification.id, recipient.email, 'pending', lastError);
        continue;
      }
      await this.setDelivery(notification.id, recipient.email, this.transport.outcome, null);
      run[this.transport.outcome] += 1;
    }
    await this.settle(notification, lastError, run);
  }

  /**
   * On the first attempt only: who the audience is now, one row per address. Members are found by id or
   * role; a notice about a person's own account goes to that person, member of anything or not; an
   * address given as it is (a complainant's) is taken as it is, and once, even if a member has it.
   */
  private async resolveRecipients(notificationId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_deliveries (notification_id, user_id, email, name)
       SELECT n.id, u.id, u.email, u.name
         FROM notifications n
         JOIN memberships m ON m.organization_id = n.organization_id AND (m.user_id = ANY (n.user_ids) OR m.role = ANY (n.roles))
         JOIN users u ON u.id = m.user_id
        WHERE n.id = $1 AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id)
       UNION ALL
       SELECT n.id, u.id, u.email, u.name
         FROM notifications n
         JOIN users u ON u.id = ANY (n.user_ids)
        WHERE n.id = $1 AND n.organization_id IS NULL AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id)
       UNION ALL
       SELECT n.id, NULL, address.email, ''
         FROM notifications n CROSS JOIN LATERAL unnest(n.emails) AS address (email)
        WHERE n.id = $1 AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id)
       ON CONFLICT DO NOTHING`,
      [notificationId],
    );
  }

  /** A mail left "sending" by a run that died may or may not have left: it is never sent again. */
  private async giveUpInterrupted(notificationId: string): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `UPDATE notification_deliveries SET status = 'failed', error = $3
        WHERE notification_id = $1 AND status = 'sending' AND attempted_at < now() - make_interval(mins => $2)`,
      [notificationId, LEASE_MINUTES, INTERRUPTED],
    )) as [unknown, number];
    return count;
  }

  private async pendingRecipients(notificationId: string): Promise<Recipient[]> {
    return this.dataSource.query(
      `SELECT user_id AS "userId", email, name FROM notification_deliveries WHERE notification_id = $1 AND status = 'pending' ORDER BY email`,
      [notificationId],
    );
  }

  /** Takes one mail for this run; false when another run already has it. */
  private async startSending(notificationId: string, email: string): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1, attempted_at = now()
        WHERE notification_id = $1 AND email = $2 AND status = 'pending'`,
      [notificationId, email],
    )) as [unknown, number];
    return count === 1;
  }

  private async setDelivery(notificationId: string, email: string, status: DeliveryStatus, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_deliveries SET status = $3, error = $4, delivered_at = CASE WHEN $3 IN ('sent', 'logged') THEN now() END
        WHERE notification_id = $1 AND email = $2`,
      [notificationId, email, status, error],
    );
  }

  /** Retries later what is still pending, or records how the notification ended. */
  private async settle(notification: ClaimedNotification, lastError: string | undefined, run: DeliveryRun): Promise<void> {
    const counts = await this.countByStatus(notification.id);
    // Another run is sending some of its mails right now: that run settles it.
    if (counts.sending > 0) return;
    if (counts.pending > 0 && notification.attempts < MAX_DELIVERY_ATTEMPTS) {
      run.deferred += counts.pending;
      await this.dataSource.query(
        `UPDATE notifications SET next_attempt_at = now() + make_interval(mins => $2), last_error = coalesce($3, last_error) WHERE id = $1`,
        [notification.id, retryDelayMinutes(notification.attempts), lastError ?? null],
      );
      return;
    }
    if (counts.pending > 0) {
      run.failed += counts.pending;
      await this.dataSource.query(`UPDATE notification_deliveries SET status = 'failed' WHERE notification_id = $1 AND status = 'pending'`, [notification.id]);
    }
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const status = total === 0 || counts.failed + counts.pending > 0 ? 'failed' : counts.sent > 0 ? 'sent' : 'logged';
    if (total === 0) {
      lastError = NOBODY;
      this.logger.warn(`Notification ${notification.id}: ${NOBODY.toLowerCase()}`);
    }
    await this.dataSource.query(`UPDATE notifications SET status = $2, last_error = coalesce($3, last_error), finished_at = now() WHERE id = $1`, [
      notification.id,
      status,
      lastError ?? null,
    ]);
  }

  private async countByStatus(notificationId: string): Promise<Record<DeliveryStatus, number>> {
    const rows: Array<{ status: DeliveryStatus; count: number }> = await this.dataSource.query(
      `SELECT status, count(*)::int AS count FROM notification_deliveries WHERE notification_id = $1 GROUP BY status`,
      [notificationId],
    );
    const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, logged: 0, failed: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\u0000/g, '').slice(0, ERROR_LENGTH);
}
