import type { Role } from '../access/roles';
import type { NotificationEvent } from './notification-event';

/** What a module asks the outbox to send: the event, who receives it, and what it says. */
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
