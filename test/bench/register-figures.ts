import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { codeYaml } from './code-yaml';
import { Client } from './http-client';
import { openDatabase, replay, type RecordedRequest } from './raw-sql';
import { sqlReference, times, type FigureRow } from './report';
import { SEARCH_FILTERS, SEARCHES, seedStatements, WARM_UP_SEARCHES, type SeedContext } from './register-seed';
import { signInOperator } from './operator';
import { BenchServer } from './server';
import { mib, ms, summarize, type Summary } from './stats';

const CODE = { slug: 'bench-register', sections: 1, perSection: 10 };
const CONNECTIONS = 50;
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 10);
const SEARCH_REQUESTS = Number(process.env.BENCH_SEARCHES || 208);
const SMALL_REGISTER = Number(process.env.BENCH_REGISTER_SMALL || 10_000);
const LARGE_REGISTER = Number(process.env.BENCH_REGISTER_LARGE || 100_000);
const SEED_BATCH = 10_000;

export interface LoadFigure {
  label: string;
  path: string;
  requestsPerSecond: number;
  latency: { p50: number; p99: number; max: number };
  requests: number;
  non2xx: number;
  errors: number;
}

export interface SearchFigure {
  label: string;
  time: Summary;
  matches: Summary | null;
  /** The same searches' SQL statements sent straight to the database (raw-sql.ts), or why that failed. */
  sql: Summary | string;
}

export interface RegisterFigures {
  smallEntries: number;
  largeEntries: number;
  seedSeconds: number;
  /** Rows in the database once seeded, counted there. */
  seeded: { organizations: number; providers: number; entries: number };
  load: LoadFigure[][];
  searches: SearchFigure[];
  /** The bare route, one request at a time, taking turns with the searches. */
  bareRoute: Summary;
  csv: { rows: number; bytes: number; seconds: number; rssBaseline: number; rssPeak: number; samples: number };
}

const log = (line: string) => process.stderr.write(`  … ${line}\n`);

export async function seed(server: BenchServer, context: SeedContext, from: number, to: number): Promise<number> {
  const started = performance.now();
  const sql = await openDatabase(server);
  try {
    for (let batch = from; batch < to; batch += SEED_BATCH) {
      for (const statement of seedStatements(batch, Math.min(to, batch + SEED_BATCH), context)) await sql.query(statement);
    }
    // As autovacuum would soon after such a load: statistics for the planner, and the visibility map.
    await sql.query('VACUUM ANALYZE');
  } finally {
    await sql.close();
  }
  const seconds = (performance.now() - started) / 1000;
  log(`${server.mode}: register seeded with entries ${from}–${to - 1} in ${seconds.toFixed(1)} s`);
  return seconds;
}

async function seedContext(server: BenchServer): Promise<SeedContext> {
  const sql = await openDatabase(server);
  try {
    const [code] = await sql.query<{ code_id: string; code_version_id: string; title: string }>(
      `SELECT c.id AS code_id, v.id AS code_version_id, v.title FROM codes c JOIN code_versions v ON v.code_id = c.id WHERE c.slug = '${CODE.slug}'`,
    );
    const [operator] = await sql.query<{ id: string }>(`SELECT id FROM users WHERE is_operator`);
    const [body] = await sql.query<{ id: string }>(`INSERT INTO organizations (kind, slug, name, country) VALUES ('monitoring_body', 'bench-monitoring-body', 'Bench Monitoring Body', 'DE') RETURNING id`);
    const [reviewer] = await sql.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('bench-reviewer@example.org', 'Bench Reviewer', 'not a usable hash') RETURNING id`);
    return {
      codeId: code.code_id,
      codeSlug: CODE.slug,
      codeTitle: code.title,
      codeVersionId: code.code_version_id,
      monitoringBodyId: body.id,
      monitoringBodyName: 'Bench Monitoring Body',
      proposerId: reviewer.id,
      approverId: operator.id,
    };
  } finally {
    await sql.close();
  }
}

async function load(port: number, label: string, path: string, seconds: number): Promise<LoadFigure> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: CONNECTIONS, duration: seconds });
  return {
    label,
    path,
    requestsPerSecond: result.requests.average,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Figure 5: the public register under load, searched, and downloaded whole. */
/** The operator publishes a small code, for the entries to be verified against. */
export async function prepareRegister(server: BenchServer): Promise<SeedContext> {
  const operator = await signInOperator(server.port);
  try {
    await operator.expect(201, 'POST', '/api/v1/codes', { body: codeYaml(CODE.slug, CODE.sections, CODE.perSection), headers: { 'Content-Type': 'application/yaml' } });
    await operator.expect(200, 'POST', `/api/v1/codes/${CODE.slug}/versions/1.0.0/publish`);
  } finally {
    operator.close();
  }
  return seedContext(server);
}

export async function registerFigures(server: BenchServer): Promise<RegisterFigures> {
  const visitor = new Client(server.port);
  try {
    const context = await prepareRegister(server);
    let seedSeconds = await seed(server, context, 0, SMALL_REGISTER);

    // The register list page against a bare route of the same server, taking turns, twice.
    const routes = [
      { label: 'Bare route GET /health/live', path: '/health/live' },
      { label: `Register list page GET /register (${SMALL_REGISTER} entries)`, path: '/register' },
    ];
    const check = await visitor.expect(200, 'GET', '/register');
    if (!check.text.includes(`of ${SMALL_REGISTER} entries`)) throw new Error('The register page does not show the seeded entries');
    for (const route of routes) await load(server.port, route.label, route.path, 3);
    const rounds: LoadFigure[][] = [];
    for (let round = 0; round < 2; round += 1) {
      const measured: LoadFigure[] = [];
      for (const route of routes) measured.push(await load(server.port, route.label, route.path, LOAD_SECONDS));
      rounds.push(measured);
      log(`${server.mode}: ${measured.map((figure) => `${figure.path} ${figure.requestsPerSecond.toFixed(0)} req/s, p99 ${figure.latency.p99} ms`).join('; ')}`);
    }

    seedSeconds += await seed(server, context, SMALL_REGISTER, LARGE_REGISTER);

    // Full-text searches, one at a time, through the API and the page in turn, with the bare route
    // between them: every search (words and filters) is one not asked before, so no count, page or plan
    // of an earlier one serves it. The server's statements of each are kept, to be replayed below.
    const queries = SEARCH_FILTERS.flatMap((filter) => SEARCHES.map((words) => `${encodeURIComponent(words)}${filter}`)).slice(0, SEARCH_REQUESTS);
    const ways = [
      { label: `Search GET /api/v1/register?q=… (${LARGE_REGISTER} entries)`, path: '/api/v1/register?q=', times: [] as number[], matches: [] as number[], recorded: [] as RecordedRequest[] },
      { label: `Search page GET /register?q=… (${LARGE_REGISTER} entries)`, path: '/register?q=', times: [] as number[], matches: [] as number[], recorded: [] as RecordedRequest[] },
    ];
    const bareTimes: number[] = [];
    for (const words of WARM_UP_SEARCHES) for (const way of ways) await visitor.expect(200, 'GET', `${way.path}${encodeURIComponent(words)}`);
    for (const [index, query] of queries.entries()) {
      const way = ways[index % 2];
      await server.startRecording();
      const response = await visitor.expect(200, 'GET', `${way.path}${query}`);
      way.recorded.push({ statements: (await server.stopRecording()).statements });
      way.times.push(response.ms);
      if (way.path.startsWith('/api')) way.matches.push((response.body as { total: number }).total);
      if (index % 2 === 1) bareTimes.push((await visitor.expect(200, 'GET', '/health/live')).ms);
    }

    // The whole register as CSV, while the server's memory is watched.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rssBaseline = server.rss();
    let rssPeak = rssBaseline;
    let samples = 0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, server.rss());
      samples += 1;
    }, 20);
    let download;
    try {
      download = await visitor.expect(200, 'GET', '/api/v1/register.csv');
    } finally {
      clearInterval(sampler);
    }
    const rows = download.text.split('\n').filter(Boolean).length - 1;
    if (rows !== LARGE_REGISTER) throw new Error(`The CSV has ${rows} rows, expected ${LARGE_REGISTER}`);
    const csv = { rows, bytes: Buffer.byteLength(download.text), seconds: download.ms / 1000, rssBaseline, rssPeak, samples };
    log(`${server.mode}: CSV of ${rows} rows in ${csv.seconds.toFixed(1)} s, RSS growth ${mib(rssPeak - rssBaseline)} MiB`);

    // What was seeded, counted in the database; then the searches' own SQL, straight to it.
    const sql = await openDatabase(server, 'stay stopped');
    let seeded: RegisterFigures['seeded'];
    const searches: SearchFigure[] = [];
    try {
      const [counts] = await sql.query<{ organizations: string; providers: string; entries: string }>(
        `SELECT (SELECT count(*) FROM organizations) AS organizations, (SELECT count(*) FROM organizations WHERE kind = 'provider') AS providers, (SELECT count(*) FROM register_entries) AS entries`,
      );
      seeded = { organizations: Number(counts.organizations), providers: Number(counts.providers), entries: Number(counts.entries) };
      for (const way of ways) {
        searches.push({ label: way.label, time: summarize(way.times), matches: way.matches.length ? summarize(way.matches) : null, sql: await replay(sql, way.recorded) });
      }
    } finally {
      await sql.close();
    }
    for (const search of searches) log(`${server.mode}: ${search.label}: p95 ${ms(search.time.p95)} ms, its SQL straight: ${typeof search.sql === 'string' ? search.sql : `p95 ${ms(search.sql.p95)} ms`}`);
    return { smallEntries: SMALL_REGISTER, largeEntries: LARGE_REGISTER, seedSeconds, seeded, load: rounds, searches, bareRoute: summarize(bareTimes), csv };
  } finally {
    visitor.close();
  }
}

export function registerRows(figures: RegisterFigures, database: string): string[][] {
  const rows: string[][] = [];
  for (const [round, measured] of figures.load.entries()) {
    const [bare, page] = measured;
    for (const figure of measured) {
      rows.push([`5 ${figure.label}, round ${round + 1}`, database, `${figure.requestsPerSecond.toFixed(0)} req/s at ${CONNECTIONS} connections for ${LOAD_SECONDS} s; latency p50 ${figure.latency.p50} ms, p99 ${figure.latency.p99} ms, max ${figure.latency.max} ms; ${figure.requests} requests, ${figure.non2xx} not 2xx, ${figure.errors} errors`]);
    }
    rows.push([`5 … list page / bare route, round ${round + 1}`, database, `${((100 * page.requestsPerSecond) / bare.requestsPerSecond).toFixed(0)} % (target ≥ 50 %), list page p99 ${page.latency.p99} ms (target < 50)`]);
  }
  for (const search of figures.searches) {
    const matches = search.matches ? `; matches per search median ${search.matches.median}, min ${search.matches.min}, max ${search.matches.max} (1000: more than 1,000)` : '';
    rows.push([`5 ${search.label}`, database, `median ${ms(search.time.median)} ms, p95 ${ms(search.time.p95)} ms (target < 50), max ${ms(search.time.max)} ms (n=${search.time.n}, each a different search${matches}); ${sqlReference(search.sql, 'median', 'p95')}`]);
  }
  rows.push([`5 Bare route GET /health/live, one at a time between the searches`, database, `median ${ms(figures.bareRoute.median)} ms, p95 ${ms(figures.bareRoute.p95)} ms (n=${figures.bareRoute.n})`]);
  const { csv } = figures;
  rows.push([`5 CSV GET /api/v1/register.csv (${csv.rows} entries)`, database, `${csv.seconds.toFixed(1)} s, ${mib(csv.bytes)} MiB; server RSS baseline ${mib(csv.rssBaseline)} MiB, peak ${mib(csv.rssPeak)} MiB, growth ${mib(csv.rssPeak - csv.rssBaseline)} MiB (target < 64; ${csv.samples} samples at 20 ms)`]);
  return rows;
}

const count = (value: number) => value.toLocaleString('en');

/** Figure 5's rows of the bench's table (report.ts). */
export function registerFigureRows(figures: RegisterFigures, database: string): FigureRow[] {
  const rounds = figures.load.map(([bare, page]) => ({ bare, page, share: page.requestsPerSecond / bare.requestsPerSecond }));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const pageRate = mean(rounds.map((round) => round.page.requestsPerSecond));
  const bareRate = mean(rounds.map((round) => round.bare.requestsPerSecond));
  const pageP99 = Math.max(...rounds.map((round) => round.page.latency.p99));
  const bareP99 = Math.max(...rounds.map((round) => round.bare.latency.p99));
  const list = `Register list page, ${count(figures.smallEntries)} entries, ${CONNECTIONS} connections`;
  const rows: FigureRow[] = [
    {
      figure: `${list}: throughput`,
      target: '≥ half the req/s of a bare route of the same server (#6)',
      database,
      measured: `${pageRate.toFixed(0)} req/s, ${rounds.map((round) => `${(100 * round.share).toFixed(0)} %`).join(' and ')} of the bare route's in ${rounds.length} rounds of ${LOAD_SECONDS} s`,
      reference: `bare route /health/live under the same load: ${bareRate.toFixed(0)} req/s`,
      met: rounds.every((round) => round.share >= 0.5),
    },
    {
      figure: `${list}: latency`,
      target: 'p99 under 50 ms (#6)',
      database,
      measured: `p99 ${pageP99} ms (worst of ${rounds.length} rounds)`,
      reference: `bare route /health/live under the same load: p99 ${bareP99} ms`,
      met: pageP99 < 50,
    },
  ];
  for (const search of figures.searches) {
    rows.push({
      figure: `${search.label.replace(/ \(.*\)$/, '')}, ${count(figures.largeEntries)} entries`,
      target: 'full-text search p95 under 50 ms (#6)',
      database,
      measured: `${times(search.time, 'p95', 'median')} (${search.time.n} searches)`,
      reference: `${sqlReference(search.sql, 'p95')}; bare route p95 ${ms(figures.bareRoute.p95)} ms`,
      met: search.time.p95 < 50,
    });
  }
  const { csv } = figures;
  rows.push({
    figure: `CSV GET /api/v1/register.csv, ${count(csv.rows)} entries`,
    target: 'streams with memory growth under 64 MiB (#6)',
    database,
    measured: `server RSS growth ${mib(csv.rssPeak - csv.rssBaseline)} MiB, in ${csv.seconds.toFixed(1)} s`,
    reference: `the CSV itself: ${mib(csv.bytes)} MiB; RSS before ${mib(csv.rssBaseline)} MiB`,
    met: csv.rssPeak - csv.rssBaseline < 64 * 1_048_576,
  });
  return rows;
}
