import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SECRET_LINK_EVENTS, type NotificationEvent } from './notification-event';
import type { NotificationStatus } from './notification-status';

/** How many notifications the operator's page lists, newest first. */
export const NOTIFICATION_LOG_SIZE = 100;

export interface LoggedDelivery {
  name: string;
  email: string;
  status: 'pending' | 'sending' | 'sent' | 'logged' | 'failed';
  attempts: number;
  error: string | null;
  deliveredAt: string | null;
}

export interface LoggedNotification {
  id: string;
  event: NotificationEvent;
  /** None for a notice about a person's own account. */
  organizationName: string | null;
  organizationSlug: string | null;
  /** The audience as enqueued; `deliveries` holds whom it resolved to. */
  userIds: string[];
  roles: string[];
  /** How many addresses it names besides members (a complainant's); whose they are shows in `deliveries`. */
  addresses: number;
  subject: string;
  body: string;
  link: string | null;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  finishedAt: Date | null;
  deliveries: LoggedDelivery[];
}

/**
 * The outbox as the platform operator sees it. It reads as the database owner: the outbox spans every
 * organization, and the application role, which requests run as, is not allowed to read it at all. A
 * link that carries a secret shows without it: the operator must not be able to use someone's reset link.
 */
@Injectable()
export class NotificationLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Call outside any transaction: the embedded database's one connection would be held by it. */
  async newest(status?: NotificationStatus): Promise<LoggedNotification[]> {
    return this.dataSource.query(
      `SELECT n.id, n.event, o.name AS "organizationName", o.slug AS "organizationSlug", n.user_ids AS "userIds", n.roles,
              cardinality(n.emails) AS addresses,
              n.subject, n.body, CASE WHEN n.event = ANY ($3) THEN regexp_replace(n.link, '[^/]+$', '…') ELSE n.link END AS link, n.status, n.attempts, n.last_error AS "lastError", n.created_at AS "createdAt",
              n.next_attempt_at AS "nextAttemptAt", n.finished_at AS "finishedAt", coalesce(d.deliveries, '[]') AS deliveries
         FROM (SELECT * FROM notifications WHERE $1::text IS NULL OR status = $1 ORDER BY created_at DESC, id DESC LIMIT $2) n
         LEFT JOIN organizations o ON o.id = n.organization_id
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object('name', name, 'email', email, 'status', status, 'attempts', attempts, 'error', error, 'deliveredAt', delivered_at)
                           ORDER BY email) AS deliveries
             FROM notification_deliveries WHERE notification_id = n.id) d ON true
        ORDER BY n.created_at DESC, n.id DESC`,
      [status ?? null, NOTIFICATION_LOG_SIZE, SECRET_LINK_EVENTS],
    );
  }
}
