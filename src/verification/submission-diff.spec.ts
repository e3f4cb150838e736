import type { SubmittedAnswer, SubmittedEvidence } from '../assessments/entities/assessment-submission.entity';
import { diffAnswer, diffRounds } from './submission-diff';

const evidence = (id: string, revision = 1, sha256 = `${id}-${revision}`): SubmittedEvidence => ({ id, title: `Evidence ${id}`, kind: 'text', revision, sha256 });
const answer = (key: string, fields: Partial<SubmittedAnswer> = {}): SubmittedAnswer => ({
  requirementKey: key,
  claim: 'met',
  statement: `How we meet ${key}.`,
  justification: null,
  evidence: [evidence('a')],
  ...fields,
});

describe('what the provider changed between two rounds', () => {
  it('finds nothing in an answer submitted again as it was', () => {
    expect(diffAnswer(answer('LIC-01'), answer('LIC-01'))).toEqual({ requirementKey: 'LIC-01', changed: false, added: false, evidence: { added: [], removed: [], revised: [] } });
  });

  it('names each changed field with what it was and what it is', () => {
    const change = diffAnswer(answer('LIC-01'), answer('LIC-01', { claim: 'not_applicable', statement: null, justification: 'We do not license.' }));
    expect(change).toMatchObject({
      changed: true,
      claim: { from: 'met', to: 'not_applicable' },
      statement: { from: 'How we meet LIC-01.', to: null },
      justification: { from: null, to: 'We do not license.' },
    });
  });

  it('leaves unchanged fields out', () => {
    const change = diffAnswer(answer('LIC-01'), answer('LIC-01', { statement: 'Reworded.' }));
    expect(Object.keys(change).sort()).toEqual(['added', 'changed', 'evidence', 'requirementKey', 'statement']);
  });

  it('treats a missing field as empty, not as a change', () => {
    const earlier = { ...answer('LIC-01'), justification: undefined } as unknown as SubmittedAnswer;
    expect(diffAnswer(earlier, answer('LIC-01')).changed).toBe(false);
  });

  it('sorts evidence into added, removed and revised, comparing revisions by their bytes', () => {
    const before = answer('RSK-01', { evidence: [evidence('kept'), evidence('gone'), evidence('revised', 1), evidence('renumbered', 1, 'same-bytes')] });
    const after = answer('RSK-01', { evidence: [evidence('renumbered', 2, 'same-bytes'), evidence('revised', 2), evidence('new'), evidence('kept')] });
    const change = diffAnswer(before, after);
    expect(change.changed).toBe(true);
    expect(change.evidence).toEqual({
      added: [evidence('new')],
      removed: [evidence('gone')],
      revised: [{ from: evidence('revised', 1), to: evidence('revised', 2) }],
    });
  });

  it('does not count evidence listed in another order as a change', () => {
    const change = diffAnswer(answer('RSK-01', { evidence: [evidence('a'), evidence('b')] }), answer('RSK-01', { evidence: [evidence('b'), evidence('a')] }));
    expect(change.changed).toBe(false);
  });

  it('marks an answer to a requirement the earlier round did not have as added, with everything in it new', () => {
    const change = diffAnswer(undefined, answer('TRN-04'));
    expect(change).toMatchObject({ changed: true, added: true, claim: { from: null, to: 'met' }, statement: { from: null, to: 'How we meet TRN-04.' }, evidence: { added: [evidence('a')], removed: [] } });
  });

  it('compares each answer of a round with the same requirement in the round before', () => {
    const changes = diffRounds([answer('A-01'), answer('A-02'), answer('A-03')], [answer('A-01'), answer('A-02', { claim: 'partially_met' }), answer('A-04')]);
    expect([...changes.keys()]).toEqual(['A-01', 'A-02', 'A-04']);
    expect([...changes.values()].map(({ changed, added }) => ({ changed, added }))).toEqual([
      { changed: false, added: false },
      { changed: true, added: false },
      { changed: true, added: true },
    ]);
  });
});
