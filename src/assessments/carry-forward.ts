import type { CodeDiff } from '../codes/document/code-diff';
import type { Carried, Claim } from './entities/answer.entity';

export interface CarriedAnswer {
  claim: Claim | null;
  statement: string | null;
  justification: string | null;
  evidenceIds: string[];
  carried: Carried;
}

export interface EarlierAnswer {
  requirementKey: string;
  claim: Claim | null;
  statement: string | null;
  justification: string | null;
  evidenceIds: string[];
}

/**
 * What a new assessment's answers start from when it is started from an earlier one: answers are
 * matched by requirement key; a requirement the earlier one did not answer is `new`, and one whose
 * text changed between the two code versions is `changed` (copied, but to be looked at again).
 */
export function carryForward(keys: readonly string[], earlier: readonly EarlierAnswer[], diff: CodeDiff | undefined): Map<string, CarriedAnswer> {
  const byKey = new Map(earlier.map((answer) => [answer.requirementKey, answer]));
  const changed = new Set(diff?.changed.map((requirement) => requirement.key) ?? []);
  return new Map<string, CarriedAnswer>(
    keys.map((key): [string, CarriedAnswer] => {
      const previous = byKey.get(key);
      if (!previous) return [key, { claim: null, statement: null, justification: null, evidenceIds: [], carried: 'new' }];
      const { claim, statement, justification, evidenceIds } = previous;
      return [key, { claim, statement, justification, evidenceIds: [...evidenceIds], carried: changed.has(key) ? 'changed' : 'copied' }];
    }),
  );
}
