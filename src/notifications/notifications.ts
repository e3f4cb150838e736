import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';
import type { NotificationInput } from './notification-input';
import { checkedNotification } from './notification-input.check';

/**
 * The notification outbox. A notification is written in the caller's own transaction, so it exists
 * exactly when the event it reports was committed; delivery happens later, outside any request.
 */
@Injectable()
export class Notifications {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Adds the notification to the caller's open transaction; it commits or rolls back with it. The
   * recipients are resolved from the organization's members only when it is delivered.
   */
  async enqueue(input: NotificationInput): Promise<void> {
    const notification = checkedNotification(input);
    // No conflict target: naming one would need the right to read the outbox, which requests lack.
    await this.tx.manager.query(
      `INSERT INTO notifications (key, event, organization_id, user_ids, roles, emails, subject, body, link)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING`,
      [
        notification.key,
        notification.event,
        notification.organizationId ?? null,
        notification.to.userIds ?? [],
        notification.to.roles ?? [],
        notification.to.emails ?? [],
        notification.subject,
        notification.text,
        notification.link ?? null,
      ],
    );
  }
}
