import { ComplaintsErrorCode, ComplaintsException } from './complaints.exception';

export const COMPLAINT_STATUSES = ['received', 'investigating', 'upheld', 'dismissed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** The statuses a monitoring body moves a complaint to; `received` is where every complaint starts. */
export const HANDLING_STATUSES = ['investigating', 'upheld', 'dismissed'] as const;
export type HandlingStatus = (typeof HANDLING_STATUSES)[number];

export const CLOSED_STATUSES: readonly ComplaintStatus[] = ['upheld', 'dismissed'];

/** What a register entry may undergo when a complaint about it is upheld. */
export const COMPLAINT_ACTIONS = ['suspend', 'revoke'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

export const STATUS_LABELS: Record<ComplaintStatus, string> = {
  received: 'Received',
  investigating: 'Under investigation',
  upheld: 'Upheld',
  dismissed: 'Dismissed',
};

/**
 * Where a complaint may go from each status: the monitoring body investigates it, or decides it at
 * once, and a decided complaint stays decided (its outcome is public).
 */
const NEXT: Record<ComplaintStatus, readonly HandlingStatus[]> = {
  received: ['investigating', 'upheld', 'dismissed'],
  investigating: ['upheld', 'dismissed'],
  upheld: [],
  dismissed: [],
};

export function nextStatuses(status: ComplaintStatus): readonly HandlingStatus[] {
  return NEXT[status];
}

export function isClosed(status: ComplaintStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** Refuses a move the table does not allow, saying where the complaint is and where it can go. */
export function checkMove(from: ComplaintStatus, to: HandlingStatus): void {
  const allowed = NEXT[from];
  if (allowed.includes(to)) return;
  const next = allowed.length > 0 ? `from there it can be ${allowed.map((status) => STATUS_LABELS[status].toLowerCase()).join(' or ')}` : 'its outcome is final';
  throw new ComplaintsException(ComplaintsErrorCode.InvalidMove, `This complaint cannot be ${STATUS_LABELS[to].toLowerCase()}: it is ${STATUS_LABELS[from].toLowerCase()}; ${next}.`, {
    status: from,
    allowed,
  });
}
