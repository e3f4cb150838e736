/** Every state a declaration can be in; assessment-lifecycle.ts says which moves join them. */
export const ASSESSMENT_STATES = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'verified',
  'rejected',
  'suspended',
  'revoked',
  'expired',
  'withdrawn',
] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];
