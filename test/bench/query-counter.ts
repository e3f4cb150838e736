/**
 * Preloaded into the benchmarked server (`node -r dist/bench/query-counter.js dist/src/main.js`): it
 * counts every statement the server sends to PostgreSQL through `pg` (TypeORM, the session store and
 * the health check all use it) and the time during which at least one was in flight. The bench asks
 * for the running totals over the IPC channel before and after each request; requests are sent one at
 * a time, so the difference is that request's share. Counting costs a few additions per statement.
 * While the bench records, each statement is also kept with its parameters, for the bench to list it
 * (BENCH_SHOW_SQL) or to send the same statements straight to the database as a reference.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
// pg's own conversion of a parameter to what it sends, so that a statement can be sent again as it was.
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

export interface QueryTotals {
  queries: number;
  /** Transaction control and per-transaction settings: BEGIN/START, COMMIT, ROLLBACK, SAVEPOINT, SET, set_config. */
  overhead: number;
  /** Milliseconds during which at least one statement was waiting for its result. */
  busyMs: number;
}

/** A statement as the server sent it: its text and its parameters as text (bytea as `\\x…`), or null. */
export interface Statement {
  text: string;
  values: Array<string | null>;
}

const totals: QueryTotals = { queries: 0, overhead: 0, busyMs: 0 };
/** While set, every statement is kept here, for the bench to list it or to send it again itself. */
let recorded: Statement[] | undefined;
let inFlight = 0;
let busySince = 0;

const OVERHEAD = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET\s|SELECT set_config\()/i;

function asText(value: unknown): string | null {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return null;
  return Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared);
}

function started(text: unknown, values: unknown): void {
  totals.queries += 1;
  recorded?.push({ text: typeof text === 'string' ? text : '(not text)', values: Array.isArray(values) ? values.map(asText) : [] });
  if (typeof text === 'string' && OVERHEAD.test(text)) totals.overhead += 1;
  if (inFlight === 0) busySince = performance.now();
  inFlight += 1;
}

function finished(): void {
  inFlight -= 1;
  if (inFlight === 0) totals.busyMs += performance.now() - busySince;
}

type QueryFunction = (...args: unknown[]) => unknown;
const prototype = pg.Client.prototype as unknown as { query: QueryFunction };
const original = prototype.query;

prototype.query = function countedQuery(this: unknown, ...args: unknown[]): unknown {
  const first = args[0] as { text?: unknown; submit?: unknown } | string;
  // Submittables (cursors, streams) are passed through uncounted for timing; none is used on these routes.
  if (typeof first === 'object' && first !== null && typeof first.submit === 'function') {
    totals.queries += 1;
    return original.apply(this, args);
  }
  const values = typeof first === 'string' ? args[1] : ((first as { values?: unknown })?.values ?? args[1]);
  started(typeof first === 'string' ? first : first?.text, values);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    finished();
  };
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    args[args.length - 1] = function (this: unknown, ...result: unknown[]) {
      finish();
      return (last as QueryFunction).apply(this, result);
    };
    try {
      return original.apply(this, args);
    } catch (error) {
      finish();
      throw error;
    }
  }
  try {
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(finish, finish);
    else finish();
    return result;
  } catch (error) {
    finish();
    throw error;
  }
};

if (process.send) {
  process.on('message', (message) => {
    if (message === 'query-totals') process.send!({ type: 'query-totals', totals: { ...totals } });
    if (message === 'query-record') {
      recorded = [];
      process.send!({ type: 'query-record', totals: { ...totals } });
    }
    if (message === 'query-recorded') {
      process.send!({ type: 'query-recorded', totals: { ...totals }, statements: recorded ?? [] });
      recorded = undefined;
    }
  });
  // The channel must not keep the server alive on its own; but a bench that went away takes its server along.
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
