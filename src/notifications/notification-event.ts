/**
 * What people are told about, one e-mail per occurrence: what happens to a declaration, to a complaint
 * about a register entry (its monitoring body is told it arrived, its complainant how it went), and to
 * a person's own account (repeated wrong passwords slowed its sign-in).
 */
export const NOTIFICATION_EVENTS = [
  'submitted',
  'assigned',
  'changes_requested',
  'resubmitted',
  'decided',
  'suspended',
  'reinstated',
  'revoked',
  'expiring_soon',
  'expired',
  'complaint_received',
  'complaint_updated',
  'account_locked',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
