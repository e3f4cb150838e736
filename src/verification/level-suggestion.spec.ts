import type { Verdict } from './entities/finding.entity';
import { suggestLevel } from './level-suggestion';

const requirements = [
  { key: 'L1-A', level: 1 },
  { key: 'L1-B', level: 1 },
  { key: 'L2-A', level: 2 },
  { key: 'L3-A', level: 3 },
];
const verdicts = (entries: Record<string, Verdict>) => new Map(Object.entries(entries));
const allAccepted = verdicts({ 'L1-A': 'accepted', 'L1-B': 'accepted', 'L2-A': 'accepted', 'L3-A': 'accepted' });

describe('the level a monitoring body can grant', () => {
  it('is the level applied for when every requirement up to it is accepted', () => {
    expect(suggestLevel(requirements, allAccepted, 3)).toEqual({ level: 3, missing: [] });
  });

  it('is never above the level applied for, whatever else is accepted', () => {
    expect(suggestLevel(requirements, allAccepted, 2)).toEqual({ level: 2, missing: [] });
    expect(suggestLevel(requirements, allAccepted, 1)).toEqual({ level: 1, missing: [] });
  });

  it('stops below the first level with a requirement not accepted, and names what the next level misses', () => {
    const suggestion = suggestLevel(requirements, verdicts({ 'L1-A': 'accepted', 'L1-B': 'accepted', 'L2-A': 'rejected', 'L3-A': 'accepted' }), 3);
    expect(suggestion).toEqual({ level: 1, missing: [{ requirementKey: 'L2-A', level: 2, verdict: 'rejected' }] });
  });

  it('is 0 when a level-1 requirement is not accepted, naming it and any without a finding yet', () => {
    const suggestion = suggestLevel(requirements, verdicts({ 'L1-A': 'changes_requested' }), 3);
    expect(suggestion).toEqual({
      level: 0,
      missing: [
        { requirementKey: 'L1-A', level: 1, verdict: 'changes_requested' },
        { requirementKey: 'L1-B', level: 1, verdict: null },
      ],
    });
  });

  it('counts a lower-level requirement against every higher level too', () => {
    const suggestion = suggestLevel([{ key: 'L1-A', level: 1 }, { key: 'L2-A', level: 2 }], verdicts({ 'L2-A': 'accepted' }), 2);
    expect(suggestion).toEqual({ level: 0, missing: [{ requirementKey: 'L1-A', level: 1, verdict: null }] });
  });

  it('passes a level that has no requirement of its own', () => {
    expect(suggestLevel([{ key: 'L1-A', level: 1 }, { key: 'L3-A', level: 3 }], verdicts({ 'L1-A': 'accepted' }), 3)).toEqual({
      level: 2,
      missing: [{ requirementKey: 'L3-A', level: 3, verdict: null }],
    });
  });

  it('grants the level applied for when nothing applies', () => {
    expect(suggestLevel([], new Map(), 2)).toEqual({ level: 2, missing: [] });
  });
});
