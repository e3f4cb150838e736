import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';
import type { Role } from '../access/roles';
import type { NotificationEvent } from './notification-event';
import { checkedNotification } from './notification-input.check';

export interface NotificationInput {
  event: NotificationEvent;
  /**
   * The organization whose members receive it; addresses in `to.emails` are told on its behalf. None for
   * a notice about a person's own account, which then names its users only (`to.userIds`).
   */
  organizationId?: string;
  /**
   * Who in it: these users, and/or every member with one of these roles (roles from src/access/roles.ts),
   * and/or these e-mail addresses, which need not be anyone's account (someone who filed a complaint).
   */
  to: { userIds?: string[]; roles?: Role[]; emails?: string[] };
  subject: string;
  /** Plain-text body. */
  text: string;
  /** A path in the app such as /app/acme/assessments/<id>; made absolute with PUBLIC_URL when set. */
  link?: string;
  /**
   * Unique for the thing that happened (e.g. `decided:<assessmentId>:<round>`): a second enqueue with the
   * same key for the same organization writes nothing. The same key may notify two organizations.
   */
  key: string;
}

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
