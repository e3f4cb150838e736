import type { Claim } from '../assessments/entities/answer.entity';
import type { SubmittedAnswer, SubmittedEvidence } from '../assessments/entities/assessment-submission.entity';

export interface TextChange<T> {
  from: T;
  to: T;
}

/** What the provider changed in one answer between two rounds. */
export interface AnswerChange {
  requirementKey: string;
  /** Whether anything changed at all. */
  changed: boolean;
  /** The requirement was not in the earlier round. */
  added: boolean;
  claim?: TextChange<Claim | null>;
  statement?: TextChange<string | null>;
  justification?: TextChange<string | null>;
  evidence: {
    added: SubmittedEvidence[];
    removed: SubmittedEvidence[];
    /** The same evidence, now at a revision with other bytes (compared by SHA-256). */
    revised: Array<TextChange<SubmittedEvidence>>;
  };
}

/** Each answer of `current` compared with the same requirement's answer in `previous`. */
export function diffRounds(previous: readonly SubmittedAnswer[], current: readonly SubmittedAnswer[]): Map<string, AnswerChange> {
  const before = new Map(previous.map((answer) => [answer.requirementKey, answer]));
  return new Map(current.map((answer) => [answer.requirementKey, diffAnswer(before.get(answer.requirementKey), answer)]));
}

export function diffAnswer(previous: SubmittedAnswer | undefined, current: SubmittedAnswer): AnswerChange {
  const change: AnswerChange = { requirementKey: current.requirementKey, changed: false, added: previous === undefined, evidence: { added: [], removed: [], revised: [] } };
  const earlier = previous ?? { requirementKey: current.requirementKey, claim: null, statement: null, justification: null, evidence: [] };
  for (const field of ['claim', 'statement', 'justification'] as const) {
    if ((earlier[field] ?? null) !== (current[field] ?? null)) (change as unknown as Record<string, TextChange<unknown>>)[field] = { from: earlier[field] ?? null, to: current[field] ?? null };
  }
  const was = new Map(earlier.evidence.map((item) => [item.id, item]));
  const now = new Map(current.evidence.map((item) => [item.id, item]));
  for (const item of current.evidence) {
    const old = was.get(item.id);
    if (!old) change.evidence.added.push(item);
    else if (old.sha256 !== item.sha256) change.evidence.revised.push({ from: old, to: item });
  }
  change.evidence.removed = earlier.evidence.filter((item) => !now.has(item.id));
  change.changed =
    change.added || change.claim !== undefined || change.statement !== undefined || change.justification !== undefined ||
    change.evidence.added.length + change.evidence.removed.length + change.evidence.revised.length > 0;
  return change;
}
