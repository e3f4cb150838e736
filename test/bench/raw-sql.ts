/**
 * The raw-SQL reference of a figure: the statements its requests sent, recorded inside the server
 * (query-counter.ts) with their parameters, sent again one after another with `pg` straight to the same
 * database and timed here. A PostgreSQL server is reached directly, while the application server idles.
 * The embedded database is PGlite inside the server's process, served to its `pg` pool on a loopback
 * socket; so the server is stopped, and PGlite is opened here on the same data folder and served the
 * same way. The gap between a request's time and its replay is what the application and HTTP add.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import type { Statement } from './query-counter';
import type { BenchServer } from './server';
import { summarize, type Summary } from './stats';

export interface Sql {
  query<T>(text: string, values?: ReadonlyArray<string | null>): Promise<T[]>;
  close(): Promise<void>;
}

async function connect(options: ConstructorParameters<typeof PgClient>[0], closeAlso: () => Promise<void>): Promise<Sql> {
  const client = new PgClient(options);
  await client.connect();
  return {
    // Without parameters pg sends a simple query, which may hold several statements, as the server's did.
    query: async <T>(text: string, values?: ReadonlyArray<string | null>) => (await client.query(text, values?.length ? (values as unknown[]) : undefined)).rows as T[],
    close: async () => {
      await client.end();
      await closeAlso();
    },
  };
}

/**
 * The server's database, straight: a client of the PostgreSQL server, or the embedded data folder with
 * the server stopped; on closing, the server is started again unless `afterwards` says otherwise.
 */
export async function openDatabase(server: BenchServer, afterwards: 'resume' | 'stay stopped' = 'resume'): Promise<Sql> {
  if (server.databaseUrl) return connect({ connectionString: server.databaseUrl }, async () => undefined);
  await server.pause();
  const database = await PGlite.create({ dataDir: join(server.dataDir, 'pgdata') });
  const socket = new PGLiteSocketServer({ db: database, host: '127.0.0.1', port: 0 });
  await socket.start();
  const port = (socket as unknown as { port: number }).port;
  return connect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }, async () => {
    await socket.stop();
    await database.close();
    if (afterwards === 'resume') await server.resume();
  });
}

/** One request's statements, and an untimed statement that first puts its data back as they were when it ran. */
export interface RecordedRequest {
  statements: Statement[];
  restore?: Statement;
}

async function send(sql: Sql, request: RecordedRequest): Promise<number> {
  if (request.restore) await sql.query(request.restore.text, request.restore.values);
  const started = performance.now();
  for (const statement of request.statements) {
    try {
      await sql.query(statement.text, statement.values);
    } catch (error) {
      await sql.query('ROLLBACK').catch(() => undefined);
      throw new Error(`${(error as Error).message}, replaying: ${statement.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  }
  return performance.now() - started;
}

/** Unmeasured replays go on for at least this long (and one whole pass): see `replay`. */
const WARM_UP_MS = 3_000;

/**
 * Each request's statements sent again in the order the server sent them, over one connection, one
 * request after another: the time of each request's statements. Unmeasured passes warm the database up
 * first, as the long-running server was: a freshly opened PGlite still compiles its code as it goes.
 * A replay that fails is reported as its message rather than stopping the run.
 */
export async function replay(sql: Sql, requests: RecordedRequest[]): Promise<Summary | string> {
  if (requests.length === 0) return 'no requests recorded';
  try {
    const warmUntil = performance.now() + WARM_UP_MS;
    do {
      for (const request of requests) await send(sql, request);
    } while (performance.now() < warmUntil);
    const times: number[] = [];
    for (const request of requests) times.push(await send(sql, request));
    return summarize(times);
  } catch (error) {
    process.stderr.write(`  … SQL replay failed: ${(error as Error).message}\n`);
    return `replay failed: ${(error as Error).message.slice(0, 80)}`;
  }
}
