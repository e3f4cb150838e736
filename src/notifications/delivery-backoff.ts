/** A notification that still has undelivered recipients after this many attempts is given up as failed. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** The longest wait between two attempts. */
const MAX_DELAY_MINUTES = 6 * 60;

/**
 * Minutes to wait after failed attempt number `attempts` (1, 2, …): 1, 2, 4, … doubling, at most six
 * hours. The eight attempts of a notification that keeps failing span about two hours.
 */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(2 ** Math.max(attempts - 1, 0), MAX_DELAY_MINUTES);
}
