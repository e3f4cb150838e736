import type { SubmittedAnswer } from '../assessments/entities/assessment-submission.entity';
import { effectiveVerdicts } from './effective-verdicts';
import type { Verdict } from './entities/finding.entity';

const answer = (key: string, statement = `How we meet ${key}.`): SubmittedAnswer => ({
  requirementKey: key,
  claim: 'met',
  statement,
  justification: null,
  evidence: [{ id: 'e1', title: 'Evidence', kind: 'text', revision: 1, sha256: 'abc' }],
});
const finding = (round: number, requirementKey: string, verdict: Verdict) => ({ round, requirementKey, verdict });
const asObject = (verdicts: Map<string, Verdict>) => Object.fromEntries(verdicts);

describe('the verdict that stands for each requirement', () => {
  it('is nothing when there is no round', () => {
    expect(effectiveVerdicts([], [finding(1, 'A', 'accepted')]).size).toBe(0);
  });

  it('is the finding of the only round, and nothing where there is none', () => {
    const verdicts = effectiveVerdicts([{ round: 1, answers: [answer('A'), answer('B')] }], [finding(1, 'A', 'rejected')]);
    expect(asObject(verdicts)).toEqual({ A: 'rejected' });
  });

  it('carries an earlier verdict forward while the answer is unchanged, and drops it once the answer changes', () => {
    const rounds = [
      { round: 1, answers: [answer('A'), answer('B'), answer('C')] },
      { round: 2, answers: [answer('A'), answer('B', 'Reworded.'), answer('C')] },
    ];
    const findings = [finding(1, 'A', 'accepted'), finding(1, 'B', 'changes_requested'), finding(1, 'C', 'changes_requested')];
    expect(asObject(effectiveVerdicts(rounds, findings))).toEqual({ A: 'accepted', C: 'changes_requested' });
  });

  it('prefers the finding of the latest round over an earlier one', () => {
    const rounds = [
      { round: 1, answers: [answer('A')] },
      { round: 2, answers: [answer('A', 'Changed.')] },
    ];
    expect(asObject(effectiveVerdicts(rounds, [finding(1, 'A', 'changes_requested'), finding(2, 'A', 'accepted')]))).toEqual({ A: 'accepted' });
    // Even if unchanged: a new finding replaces the old.
    const same = [
      { round: 1, answers: [answer('A')] },
      { round: 2, answers: [answer('A')] },
    ];
    expect(asObject(effectiveVerdicts(same, [finding(1, 'A', 'accepted'), finding(2, 'A', 'rejected')]))).toEqual({ A: 'rejected' });
  });

  it('follows an unchanged answer back over several rounds, but not past a change', () => {
    const rounds = [
      { round: 1, answers: [answer('A', 'First.'), answer('B')] },
      { round: 2, answers: [answer('A', 'Second.'), answer('B')] },
      { round: 3, answers: [answer('A', 'Second.'), answer('B')] },
    ];
    const verdicts = effectiveVerdicts(rounds, [finding(1, 'A', 'accepted'), finding(1, 'B', 'accepted')]);
    expect(asObject(verdicts)).toEqual({ B: 'accepted' });
  });

  it('gives a requirement new in the latest round no verdict from earlier rounds', () => {
    const rounds = [
      { round: 1, answers: [answer('A')] },
      { round: 2, answers: [answer('A'), answer('N')] },
    ];
    expect(asObject(effectiveVerdicts(rounds, [finding(1, 'A', 'accepted'), finding(1, 'N', 'accepted')]))).toEqual({ A: 'accepted' });
  });

  it('does not depend on the order the rounds are given in', () => {
    const rounds = [
      { round: 2, answers: [answer('A')] },
      { round: 1, answers: [answer('A')] },
    ];
    expect(asObject(effectiveVerdicts(rounds, [finding(1, 'A', 'accepted')]))).toEqual({ A: 'accepted' });
  });

  it('counts a revised evidence revision as a change', () => {
    const revised = { ...answer('A'), evidence: [{ id: 'e1', title: 'Evidence', kind: 'text', revision: 2, sha256: 'def' }] };
    const rounds = [
      { round: 1, answers: [answer('A')] },
      { round: 2, answers: [revised] },
    ];
    expect(effectiveVerdicts(rounds, [finding(1, 'A', 'accepted')]).size).toBe(0);
  });
});
