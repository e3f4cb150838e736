/**
 * What people are told about, one e-mail per occurrence: what happens to a declaration, to a complaint
 * about a register entry (its monitoring body is told it arrived, its complainant how it went), to a
 * person's own account (repeated wrong passwords slowed its sign-in, a password reset link, a changed
 * password, a link that proves an address, a changed address, a suspension by the operator and its end,
 * a second factor or passkey added or removed, a recovery code used), and to the platform operators, an
 * upload that matched a hash list.
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
  'upload_incident',
  'password_reset',
  'password_changed',
  'account_suspended',
  'account_reactivated',
  'passkey_added',
  'passkey_removed',
  'second_factor_added',
  'second_factor_removed',
  'recovery_code_used',
  'email_verification',
  'email_changed',
] as const;
/** Events whose link carries a secret (a reset or verification link's token): only their recipient may ever see it. */
export const SECRET_LINK_EVENTS: readonly NotificationEvent[] = ['password_reset', 'email_verification'];
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
