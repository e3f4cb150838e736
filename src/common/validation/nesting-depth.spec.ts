import { MAX_NESTING_DEPTH, nestedDeeperThan } from './nesting-depth';

describe('nestedDeeperThan', () => {
  const lists = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

  it('counts objects and lists alike, and a scalar as no level', () => {
    expect(nestedDeeperThan('text', 0)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it('allows the limit and refuses one level more', () => {
    expect(nestedDeeperThan(lists(MAX_NESTING_DEPTH), MAX_NESTING_DEPTH)).toBe(false);
    expect(nestedDeeperThan(lists(MAX_NESTING_DEPTH + 1), MAX_NESTING_DEPTH)).toBe(true);
  });

  it('walks a body nested far beyond what recursion survives', () => {
    expect(nestedDeeperThan(lists(200_000), MAX_NESTING_DEPTH)).toBe(true);
  });
});
