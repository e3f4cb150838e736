import { ALL_ROLES } from '../access/roles';
import { NOTIFICATION_EVENTS } from './notification-event';
import type { NotificationInput } from './notification-input';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A subject becomes a mail header and a key is one line: neither may carry control characters. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/**
 * A path of this application: one leading slash, so never `//host` or `/\host`, which browsers read as
 * another site, and nothing a mail client would cut the link at.
 */
const APP_PATH = /^\/(?![/\\])[^\s\u0000-\u001f\u007f\\]*$/;
/**
 * A bare address (local@domain), nothing a mail header could read as a second address, a display name
 * or a comment: no spaces, control characters, commas, semicolons, quotes, brackets or angle brackets.
 */
export const PLAIN_EMAIL_ADDRESS = /^[^\s\u0000-\u001f\u007f@<>()[\],;:"\\]+@[^\s\u0000-\u001f\u007f@<>()[\],;:"\\]+\.[^\s\u0000-\u001f\u007f@<>()[\],;:"\\]+$/;

// Generous: subjects and texts quote names, summaries and conditions that people typed, and a
// notification refused here would fail the event that caused it.
export const NOTIFICATION_LIMITS = { key: 200, subject: 1_000, text: 100_000, link: 2_000, userIds: 1_000, emails: 10, email: 254 } as const;

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max && !value.includes('\u0000');
}

/**
 * A notice about a person's own account goes to that person's users, or to the one address the account
 * asks to prove, which is nobody's yet (a new address waiting for its verification link).
 */
function aboutOwnAccount(userIds: unknown, roles: unknown, emails: unknown): boolean {
  if (!Array.isArray(userIds) || !Array.isArray(roles) || !Array.isArray(emails) || roles.length > 0) return false;
  return (userIds.length > 0 && emails.length === 0) || (userIds.length === 0 && emails.length === 1);
}

/** What is wrong with a notification, field by field; empty when it may be enqueued. */
export function notificationInputProblems(input: NotificationInput): string[] {
  const problems: string[] = [];
  if (!(NOTIFICATION_EVENTS as readonly unknown[]).includes(input.event)) problems.push(`event must be one of ${NOTIFICATION_EVENTS.join(', ')}`);
  if (input.organizationId !== undefined && (typeof input.organizationId !== 'string' || !UUID.test(input.organizationId))) problems.push('organizationId must be a UUID');
  const userIds: unknown = input.to?.userIds ?? [];
  const roles: unknown = input.to?.roles ?? [];
  const emails: unknown = input.to?.emails ?? [];
  if (input.organizationId === undefined && !aboutOwnAccount(userIds, roles, emails)) {
    problems.push('to must name users only, or one address being proven, for a notice about a person’s own account (no organization)');
  }
  if (!Array.isArray(userIds) || userIds.length > NOTIFICATION_LIMITS.userIds || !userIds.every((id) => typeof id === 'string' && UUID.test(id))) {
    problems.push(`to.userIds must be a list of at most ${NOTIFICATION_LIMITS.userIds} UUIDs`);
  }
  if (!Array.isArray(roles) || !roles.every((role) => (ALL_ROLES as readonly unknown[]).includes(role))) problems.push(`to.roles must be roles among ${ALL_ROLES.join(', ')}`);
  if (
    !Array.isArray(emails) ||
    emails.length > NOTIFICATION_LIMITS.emails ||
    !emails.every((email) => typeof email === 'string' && email.length <= NOTIFICATION_LIMITS.email && PLAIN_EMAIL_ADDRESS.test(email))
  ) {
    problems.push(`to.emails must be a list of at most ${NOTIFICATION_LIMITS.emails} e-mail addresses`);
  }
  if (Array.isArray(userIds) && Array.isArray(roles) && Array.isArray(emails) && userIds.length + roles.length + emails.length === 0) {
    problems.push('to must name at least one user or role, or an e-mail address');
  }
  if (!isText(input.subject, NOTIFICATION_LIMITS.subject) || CONTROL_CHARACTER.test(input.subject)) {
    problems.push(`subject must be one line of 1 to ${NOTIFICATION_LIMITS.subject} characters`);
  }
  if (!isText(input.text, NOTIFICATION_LIMITS.text)) problems.push(`text must be 1 to ${NOTIFICATION_LIMITS.text} characters, without NUL`);
  if (input.link !== undefined && (typeof input.link !== 'string' || input.link.length > NOTIFICATION_LIMITS.link || !APP_PATH.test(input.link))) {
    problems.push('link must be a path of this application, such as /app/acme/assessments/<id>');
  }
  if (!isText(input.key, NOTIFICATION_LIMITS.key) || CONTROL_CHARACTER.test(input.key)) problems.push(`key must be 1 to ${NOTIFICATION_LIMITS.key} characters on one line`);
  return problems;
}

/**
 * The notification as it is stored: the subject on one line (it may quote a name typed with a line
 * break), each user and role once. A notification is built by code, not typed by a person: a bad one is
 * a programming error, thrown with every reason.
 */
export function checkedNotification(input: NotificationInput): NotificationInput {
  const notification = {
    ...input,
    subject: typeof input.subject === 'string' ? input.subject.replace(/[\r\n\t ]+/g, ' ').trim() : input.subject,
    to: { userIds: unique(input.to?.userIds), roles: unique(input.to?.roles), emails: unique(input.to?.emails) },
  };
  const problems = notificationInputProblems(notification);
  if (problems.length > 0) throw new Error(`Invalid notification: ${problems.join('; ')}`);
  return notification;
}

function unique<T>(values: T[] | undefined): T[] | undefined {
  return Array.isArray(values) ? [...new Set(values)] : values;
}
