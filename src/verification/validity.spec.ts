import { addMonths, DEFAULT_VALIDITY_MONTHS, daysBetween, MAX_VALIDITY_MONTHS, todayUtc } from './validity';

describe('verification dates', () => {
  it('today is the UTC calendar day, whatever the local time zone', () => {
    expect(todayUtc(new Date('2026-03-01T23:30:00-05:00'))).toBe('2026-03-02');
    expect(todayUtc(new Date('2026-03-01T00:30:00+02:00'))).toBe('2026-02-28');
  });

  it('adds months, keeping the day', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-11-30', 2)).toBe('2027-01-30');
    expect(addMonths('2026-05-20', DEFAULT_VALIDITY_MONTHS)).toBe('2027-05-20');
    expect(addMonths('2026-05-20', MAX_VALIDITY_MONTHS)).toBe('2029-05-20');
  });

  it('falls back to the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
  });

  it('subtracts months, across a year', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', -12)).toBe('2025-01-15');
    expect(addMonths('2026-02-10', -3)).toBe('2025-11-10');
  });

  it('counts whole days between calendar days, negative backwards, across DST and leap days', () => {
    expect(daysBetween('2026-01-01', '2026-01-01')).toBe(0);
    expect(daysBetween('2026-01-01', '2026-03-02')).toBe(60);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-12-31', '2026-12-01')).toBe(-30);
  });

  it('holds 12 months by default and never more than 36', () => {
    expect({ DEFAULT_VALIDITY_MONTHS, MAX_VALIDITY_MONTHS }).toEqual({ DEFAULT_VALIDITY_MONTHS: 12, MAX_VALIDITY_MONTHS: 36 });
  });
});
