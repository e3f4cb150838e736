import { formatVerificationId } from './verification-id';

describe('verification ids', () => {
  it('read as year, level and a number of four digits at least', () => {
    expect(formatVerificationId(2026, 2, 42)).toBe('2026-L2-0042');
    expect(formatVerificationId(2027, 1, 1)).toBe('2027-L1-0001');
    expect(formatVerificationId(2027, 3, 9999)).toBe('2027-L3-9999');
  });

  it('grow a digit after the 9999th of a year rather than wrap', () => {
    expect(formatVerificationId(2027, 3, 12345)).toBe('2027-L3-12345');
  });

  it('are distinct for distinct numbers and levels', () => {
    const ids = new Set([1, 2, 3].flatMap((level) => [1, 2, 10, 100].map((number) => formatVerificationId(2026, level, number))));
    expect(ids.size).toBe(12);
  });
});
