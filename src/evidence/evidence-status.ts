import type { EvidenceRevision } from './entities/evidence-revision.entity';

/** Whether a revision holds on a day: not yet effective, current, or expired (from its expiry date on). */
export type EvidenceStatus = 'current' | 'expired' | 'not_yet_effective';

export function evidenceStatus(revision: Pick<EvidenceRevision, 'effectiveDate' | 'expiresAt'>, today = todayIso()): EvidenceStatus {
  if (revision.effectiveDate > today) return 'not_yet_effective';
  if (revision.expiresAt !== null && revision.expiresAt <= today) return 'expired';
  return 'current';
}

/** Today's calendar date in UTC, YYYY-MM-DD. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
