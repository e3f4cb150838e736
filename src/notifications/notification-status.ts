/**
 * Where a notification stands: waiting (perhaps after a failed attempt), e-mailed to everyone, written to
 * the log because no mail server is configured, or given up for at least one recipient.
 */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'logged', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
