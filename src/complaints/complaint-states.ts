/** Every status a complaint can be in; complaint-lifecycle.ts says which moves join them. */
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

export function isClosed(status: ComplaintStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** Whether a posted status change is a ruling (upholding or dismissing), which step-up covers; investigating is not. */
export function isRuling(body: Record<string, unknown>): boolean {
  return CLOSED_STATUSES.includes(body.status as ComplaintStatus);
}
