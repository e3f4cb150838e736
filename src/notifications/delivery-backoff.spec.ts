import { MAX_DELIVERY_ATTEMPTS, retryDelayMinutes } from './delivery-backoff';

describe('retryDelayMinutes', () => {
  it('doubles from one minute after each failed attempt', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it('never waits more than six hours', () => {
    expect(retryDelayMinutes(20)).toBe(360);
    expect(retryDelayMinutes(1_000)).toBe(360);
  });

  it('tries a failing notification for about two hours before giving it up', () => {
    const waited = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, index) => retryDelayMinutes(index + 1)).reduce((sum, minutes) => sum + minutes, 0);
    expect(waited).toBe(127);
  });
});
