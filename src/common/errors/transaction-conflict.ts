/**
 * PostgreSQL aborts a transaction that deadlocked with another (40P01) or could not be serialised with
 * the others running at the same time (40001). Nothing of it was kept, and the same work run again
 * usually succeeds: such an error is a conflict between requests, not a fault in either.
 */
const CONFLICT_STATES = new Set(['40P01', '40001']);

export function isTransactionConflict(error: unknown): boolean {
  for (let candidate = error, depth = 0; candidate && depth < 4; depth++) {
    const { code } = candidate as { code?: unknown };
    if (typeof code === 'string' && CONFLICT_STATES.has(code)) return true;
    // TypeORM keeps the driver's error as `driverError`; Node and pg chain theirs as `cause`.
    const next = candidate as { driverError?: unknown; cause?: unknown };
    candidate = next.driverError ?? next.cause;
  }
  return false;
}
