import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppProcess, buildApplication } from './support/app-process';

interface LogLine {
  level: number;
  time: number;
  context?: string;
  msg: string;
}

const PUBLIC_URL = 'http://adhere.example';

/**
 * What a first start writes when its output goes to a file or a log collector rather than a terminal:
 * the whole application as `npm start` runs it, on a new DATA_DIR with its embedded database, at
 * LOG_LEVEL=debug so that the lines kept out of the info level can be seen.
 */
describe('the log of a first start, not at a terminal', () => {
  let build: Awaited<ReturnType<typeof buildApplication>>;
  let instance: AppProcess;
  let dataDir: string;
  let lines: LogLine[];

  beforeAll(async () => {
    build = await buildApplication();
    dataDir = mkdtempSync(join(tmpdir(), 'adhere-first-start-'));
    instance = await AppProcess.start(build.root, {
      DATA_DIR: dataDir,
      PUBLIC_URL,
      LOG_LEVEL: 'debug',
      SESSION_SECRET: 'a-session-secret-for-the-first-start-test',
      NOTIFICATION_POLL_SECONDS: '0',
      EXPIRY_JOB_SECONDS: '0',
    });
    lines = instance.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as LogLine);
  }, 180_000);

  afterAll(async () => {
    await instance?.stop();
    build?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const line = (context: string, pattern: RegExp) => {
    const found = lines.find((candidate) => candidate.context === context && pattern.test(candidate.msg));
    if (!found) throw new Error(`No ${context} line matching ${pattern} in:\n${instance.stdout}`);
    return found;
  };

  it('is JSON lines only (every line of standard output parsed as one)', () => {
    expect(lines.length).toBeGreaterThan(10);
  });

  it('puts Nest’s line per module, per controller and per route at debug level, below info', () => {
    for (const context of ['InstanceLoader', 'RoutesResolver', 'RouterExplorer']) {
      const levels = new Set(lines.filter((candidate) => candidate.context === context).map((candidate) => candidate.level));
      expect({ context, levels: [...levels] }).toEqual({ context, levels: [20] });
    }
    expect(lines.filter((candidate) => candidate.level >= 30).length).toBeLessThan(20);
  });

  it('stamps each line with the time it happened, not with the time it was written out', async () => {
    const times = lines.map((candidate) => candidate.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The embedded database started during start-up: Nest's first line came before, its own line after.
    const ready = line('EmbeddedPostgres', /^Embedded PostgreSQL \(PGlite\) ready on 127\.0\.0\.1:\d+$/);
    const client = new Client({ host: '127.0.0.1', port: Number(ready.msg.split(':').at(-1)), user: 'postgres', database: 'postgres' });
    await client.connect();
    const [{ started }] = (await client.query<{ started: string }>(`SELECT (extract(epoch FROM pg_postmaster_start_time()) * 1000)::bigint::text AS started`)).rows;
    await client.end();
    expect(line('NestFactory', /^Starting Nest application/).time).toBeLessThan(Number(started));
    expect(ready.time).toBeGreaterThanOrEqual(Number(started));
  });

  it('ends with the address, after the set-up link, both at info level or above', () => {
    const setup = line('Setup', new RegExp(`^No operator account exists yet\\. Create it within 24 hours at: ${PUBLIC_URL}/setup/[A-Za-z0-9_-]{20,}$`));
    expect(setup.level).toBe(40);
    const last = lines.at(-1)!;
    expect(last).toMatchObject({ level: 30, context: 'Bootstrap' });
    expect(last.msg).toMatch(new RegExp(`^Adhere is ready at ${PUBLIC_URL} \\(started in \\d+ ms\\)$`));
  });
});
