import { RevisionMemo } from './revision-memo';

describe('RevisionMemo', () => {
  it('serves a value only at the revision it was computed at', () => {
    const memo = new RevisionMemo<string>(10);
    memo.set('7', 'page', 'at 7');
    expect(memo.get('7', 'page')).toBe('at 7');
    expect(memo.get('8', 'page')).toBeUndefined();
  });

  it('forgets everything when a newer revision arrives, and ignores values of an older one', () => {
    const memo = new RevisionMemo<string>(10);
    memo.set('9', 'a', 'a at 9');
    memo.set('10', 'b', 'b at 10');
    expect(memo.get('10', 'a')).toBeUndefined();
    memo.set('9', 'a', 'late a at 9');
    expect(memo.get('9', 'a')).toBeUndefined();
    expect(memo.get('10', 'b')).toBe('b at 10');
  });

  it('evicts the least recently used value beyond its capacity', () => {
    const memo = new RevisionMemo<number>(2);
    memo.set('1', 'a', 1);
    memo.set('1', 'b', 2);
    memo.get('1', 'a');
    memo.set('1', 'c', 3);
    expect(memo.get('1', 'b')).toBeUndefined();
    expect(memo.get('1', 'a')).toBe(1);
    expect(memo.get('1', 'c')).toBe(3);
  });
});
