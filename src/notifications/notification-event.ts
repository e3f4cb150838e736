/** What can happen to a declaration that its people are told about, one e-mail per occurrence. */
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
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
