import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/**
 * Errors that mean the database could not be reached or went away mid-request, as opposed to errors in
 * what the request asked of it. They are answered with 503 and a time to come back: the request may
 * succeed unchanged once the database is back, which a 500 would not tell a client.
 */

/**
 * SQLSTATEs of a connection that failed, could not be made or was lost (class 08, but not 08P01, a
 * protocol violation: a statement the server refused, such as one with more than 65,535 parameters,
 * which no retry cures), and of the server shutting down or starting up.
 */
const UNAVAILABLE_STATES = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '57P01', '57P02', '57P03']);
/** Socket errors of a server that is down or unreachable. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What `pg` and its pool say when a connection ends or cannot be had; they carry no code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection ended unexpectedly',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM lets go of a connection that broke; the request's next statement on it then fails with these.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  for (let candidate = error, depth = 0; candidate && depth < 4; depth++) {
    const { code, message } = candidate as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.startsWith(known))) return true;
    // TypeORM keeps the driver's error as `driverError`; Node and pg chain theirs as `cause`.
    const next = candidate as { driverError?: unknown; cause?: unknown };
    candidate = next.driverError ?? next.cause;
  }
  return false;
}
