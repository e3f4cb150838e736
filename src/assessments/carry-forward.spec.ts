import type { CodeDiff } from '../codes/document/code-diff';
import { carryForward } from './carry-forward';

const earlier = [
  { requirementKey: 'LIC-01', claim: 'met' as const, statement: 'Licensed.', justification: null, evidenceIds: ['e1', 'e2'] },
  { requirementKey: 'LIC-02', claim: 'not_applicable' as const, statement: null, justification: 'No licensees.', evidenceIds: [] },
  { requirementKey: 'OLD-01', claim: 'met' as const, statement: 'Gone.', justification: null, evidenceIds: ['e3'] },
];

const diff = (changed: string[]): CodeDiff => ({
  from: '1.0.0',
  to: '1.1.0',
  added: [],
  removed: [],
  changed: changed.map((key) => ({ key, title: key, section: 'LIC', level: 1, changes: [] })),
  unchanged: 0,
  questions: { added: [], removed: [], changed: [] },
  evidencePolicy: null,
});

describe('carrying answers forward', () => {
  it('copies answers by requirement key, with their evidence links', () => {
    const carried = carryForward(['LIC-01', 'LIC-02'], earlier, undefined);
    expect(carried.get('LIC-01')).toEqual({ claim: 'met', statement: 'Licensed.', justification: null, evidenceIds: ['e1', 'e2'], carried: 'copied' });
    expect(carried.get('LIC-02')).toEqual({ claim: 'not_applicable', statement: null, justification: 'No licensees.', evidenceIds: [], carried: 'copied' });
  });

  it('flags requirements the earlier assessment did not have as new, and leaves them empty', () => {
    expect(carryForward(['NEW-01'], earlier, undefined).get('NEW-01')).toEqual({ claim: null, statement: null, justification: null, evidenceIds: [], carried: 'new' });
  });

  it('flags requirements whose text changed between the code versions, keeping the copied answer to review', () => {
    const carried = carryForward(['LIC-01', 'LIC-02'], earlier, diff(['LIC-01']));
    expect(carried.get('LIC-01')?.carried).toBe('changed');
    expect(carried.get('LIC-01')?.statement).toBe('Licensed.');
    expect(carried.get('LIC-02')?.carried).toBe('copied');
  });

  it('answers exactly the requirements asked for, dropping those that no longer apply', () => {
    expect([...carryForward(['LIC-02', 'NEW-01'], earlier, undefined).keys()]).toEqual(['LIC-02', 'NEW-01']);
  });

  it('never shares the evidence list with the earlier answer', () => {
    const carried = carryForward(['LIC-01'], earlier, undefined);
    carried.get('LIC-01')!.evidenceIds.push('e9');
    expect(earlier[0].evidenceIds).toEqual(['e1', 'e2']);
  });
});
