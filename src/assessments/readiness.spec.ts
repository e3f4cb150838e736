import { AnswerFacts, gapsOf, progressOf } from './readiness';

const answer = (key: string, facts: Partial<AnswerFacts> = {}): AnswerFacts => ({
  requirementKey: key,
  sectionKey: key.split('-')[0],
  claim: 'met',
  justification: null,
  evidenceRequired: false,
  evidence: [],
  ...facts,
});

describe('what stands between an assessment and its submission', () => {
  it('finds nothing when every answer is complete', () => {
    expect(gapsOf([answer('LIC-01'), answer('LIC-02', { claim: 'not_met' }), answer('TRM-01', { claim: 'not_applicable', justification: 'No such service.' })])).toEqual([]);
  });

  it('names an answer without a claim', () => {
    expect(gapsOf([answer('LIC-01', { claim: null })])).toEqual([{ requirementKey: 'LIC-01', sectionKey: 'LIC', problem: 'no claim yet: say whether the requirement is met' }]);
  });

  it('names a not_applicable claim without a justification, blank counting as none', () => {
    expect(gapsOf([answer('LIC-01', { claim: 'not_applicable' }), answer('LIC-02', { claim: 'not_applicable', justification: '   ' })]).map((gap) => gap.problem)).toEqual([
      'claimed not applicable without a justification',
      'claimed not applicable without a justification',
    ]);
  });

  it('asks for current evidence only where it is required and compliance is claimed', () => {
    const gaps = gapsOf([
      answer('RSK-01', { evidenceRequired: true, claim: 'met' }),
      answer('RSK-02', { evidenceRequired: true, claim: 'partially_met', evidence: ['expired'] }),
      answer('RSK-03', { evidenceRequired: true, claim: 'met', evidence: ['not_yet_effective'] }),
      answer('RSK-04', { evidenceRequired: true, claim: 'met', evidence: ['expired', 'current'] }),
      answer('RSK-05', { evidenceRequired: true, claim: 'not_met' }),
      answer('RSK-06', { evidenceRequired: true, claim: 'not_applicable', justification: 'Not a hash-matching tool.' }),
      answer('RSK-07', { evidenceRequired: false, claim: 'met' }),
    ]);
    expect(gaps).toEqual([
      { requirementKey: 'RSK-01', sectionKey: 'RSK', problem: 'evidence is required and none is linked' },
      { requirementKey: 'RSK-02', sectionKey: 'RSK', problem: 'evidence is required and the linked evidence is not current (expired or not yet effective)' },
      { requirementKey: 'RSK-03', sectionKey: 'RSK', problem: 'evidence is required and the linked evidence is not current (expired or not yet effective)' },
    ]);
  });
});

describe('progress', () => {
  it('counts answers, claims by kind, and evidence where it is needed', () => {
    expect(
      progressOf([
        answer('A-1', { claim: null, evidenceRequired: true }),
        answer('A-2', { claim: 'met', evidenceRequired: true, evidence: ['current'] }),
        answer('A-3', { claim: 'partially_met', evidenceRequired: true, evidence: ['expired'] }),
        answer('A-4', { claim: 'not_met', evidenceRequired: true }),
        answer('A-5', { claim: 'not_applicable', justification: 'n/a' }),
      ]),
    ).toEqual({
      total: 5,
      answered: 4,
      percent: 80,
      claims: { met: 1, partially_met: 1, not_met: 1, not_applicable: 1 },
      evidence: { needed: 3, covered: 1, percent: 33, expired: 1 },
    });
  });

  it('reaches 100 % only when everything is there, and rounds down on the way', () => {
    const answers = Array.from({ length: 300 }, (_, index) => answer(`A-${index}`, { claim: index === 0 ? null : 'met' }));
    expect(progressOf(answers).percent).toBe(99);
    expect(progressOf(answers.slice(1)).percent).toBe(100);
    expect(progressOf([]).percent).toBe(100);
  });
});
