/**
 * Performance figures of self-assessment, review and the public register; `npm run bench` builds the
 * application, compiles this folder and runs it. Prints one table of the figures the issues asked for,
 * each beside its target and a reference measured in the same run; asserts nothing. See README.md here.
 *
 *   BENCH_DATABASE_URL=postgres://…  also run every figure against a fresh database on that server
 *   BENCH_MODES=embedded|server|embedded,server   choose the modes explicitly
 *   BENCH_UPLOAD_BYTES=…             size of the uploaded file (default 1 GiB)
 *   BENCH_REQUESTS=…                 measured requests per page (default 50) and BENCH_SAVES (default 320)
 *   BENCH_SHOW_SQL=1                 list the SQL statements of one request of each kind (on stderr)
 *   BENCH_FIGURES=assessment,register  which figures: 1–4 (self-assessment and review), 5 (the public register)
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { codeYaml } from './code-yaml';
import { registerFigureRows, registerFigures, registerRows, type RegisterFigures } from './register-figures';
import { Client } from './http-client';
import { Mailbox } from './mailbox';
import { signInOperator } from './operator';
import type { Statement } from './query-counter';
import { openDatabase, replay } from './raw-sql';
import { figureTable, sqlReference, times, type FigureRow } from './report';
import { BenchServer, Mode, NODE_ENV, projectRoot } from './server';
import { mib, ms, summarize, Summary } from './stats';

const GiB = 1024 ** 3;
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_BYTES || GiB);
const WARM_UPS = 5;
const REQUESTS = Number(process.env.BENCH_REQUESTS || 50);
const SAVES = Number(process.env.BENCH_SAVES || 320);
const SECTION_SAVES = Number(process.env.BENCH_SECTION_SAVES || 10);
const LARGE = { slug: 'bench-large', sections: 10, perSection: 30 };
const SMALL = { slug: 'bench-small', sections: 1, perSection: 30 };
const PASSWORD = 'bench password of some length';
/**
 * The scheduled jobs (notification delivery, expiry) off: their statements would otherwise land among a
 * measured request's, in its figures and in the SQL replayed as its reference.
 */
const WITHOUT_JOBS = { NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' };
/**
 * While the people sign up: mail delivered every second to the bench's own SMTP server, for them to
 * confirm their addresses with the link mailed to them (submitting, deciding and tokens need it).
 */
const DELIVERING_MAIL = (mailbox: Mailbox) => ({ SMTP_URL: mailbox.url, NOTIFICATION_POLL_SECONDS: '1', EXPIRY_JOB_SECONDS: '0' });

interface PageFigure extends Measured {
  label: string;
  path: string;
}

interface ModeFigures {
  mode: Mode;
  database: string;
  startupMs: number;
  setup: Record<string, { ms: number; queries: number }>;
  pages: PageFigure[];
  saves: Measured;
  sectionSaves: Measured;
  reviews: PageFigure[];
  /** The bare route, one request at a time, taking turns with the pages, the saves and the review pages. */
  bareRoute: { pages: Summary; saves: Summary; reviews: Summary };
  /** The statements of the workspace page (first section), of the saves and of the review page, sent straight to the database. */
  sql: { workspace: Summary | string; save: Summary | string; review: Summary | string };
  /** What was seeded through the API for these figures, counted in the database at the end. */
  seeded: { requirements: number; answers: number; organizations: number; evidence: number };
  upload?: UploadFigure;
}

interface UploadFigure {
  bytes: number;
  seconds: number;
  status: number;
  sha256: string;
  rssBaseline: number;
  rssPeak: number;
  samples: number;
  sha256sumSeconds: number;
  sha256sumHash: string;
}

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const log = (line: string) => process.stderr.write(`  … ${line}\n`);

/** A person signs up with an organization, then confirms the address with the link mailed to it. */
async function signUp(port: number, mailbox: Mailbox, kind: 'provider' | 'monitoring_body', name: string): Promise<{ client: Client; slug: string }> {
  const client = new Client(port);
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `${kind}-${unique}@example.org`;
  const response = await client.expect(201, 'POST', '/api/v1/auth/signup', {
    body: { email, password: PASSWORD, name: `Bench ${kind}`, organization: { name: `${name} ${unique}`, kind } },
  });
  client.csrf = (await client.expect(200, 'GET', '/api/v1/auth/session')).body.csrfToken;
  const [, token] = await mailbox.link(email, /^\/verify-email\/([A-Za-z0-9_-]+)$/);
  await client.expect(200, 'POST', `/api/v1/auth/verify-email/${token}`);
  return { client, slug: response.body.organization.slug };
}

interface Measured {
  time: Summary;
  queries: Summary;
  overhead: Summary;
  sqlBusy: Summary;
  bytes: number;
  /** The statements each measured request sent, in order. */
  recorded: Statement[][];
}

type Send = (index: number) => Promise<{ ms: number; bytes?: number }>;

/**
 * Each of `sends`, `count` times, after `warmUps` unmeasured rounds; one request at a time, taking turns
 * (so that a busy moment of the machine falls on all of them alike), with the server's SQL statements
 * of each request. The index is negative during warm-up.
 */
async function measureEach(server: BenchServer, count: number, sends: Send[], warmUps = WARM_UPS): Promise<Measured[]> {
  for (let round = 0; round < warmUps; round += 1) for (const send of sends) await send(-1 - round);
  const samples = sends.map(() => ({ times: [] as number[], queries: [] as number[], overhead: [] as number[], busy: [] as number[], bytes: 0, recorded: [] as Statement[][] }));
  for (let index = 0; index < count; index += 1) {
    for (const [which, send] of sends.entries()) {
      const before = await server.startRecording();
      const result = await send(index);
      const { totals: after, statements } = await server.stopRecording();
      const sample = samples[which];
      sample.times.push(result.ms);
      sample.queries.push(after.queries - before.queries);
      sample.overhead.push(after.overhead - before.overhead);
      sample.busy.push(after.busyMs - before.busyMs);
      sample.bytes = result.bytes ?? sample.bytes;
      sample.recorded.push(statements);
    }
  }
  return samples.map((sample) => ({ time: summarize(sample.times), queries: summarize(sample.queries), overhead: summarize(sample.overhead), sqlBusy: summarize(sample.busy), bytes: sample.bytes, recorded: sample.recorded }));
}

/** One request, timed, with its SQL statements counted. */
async function once<T>(server: BenchServer, work: () => Promise<{ ms: number; body: T }>): Promise<{ ms: number; queries: number; body: T }> {
  const before = await server.queryTotals();
  const result = await work();
  const after = await server.queryTotals();
  return { ms: result.ms, queries: after.queries - before.queries, body: result.body };
}

async function benchMode(root: string, mode: Mode, uploadFile: () => string): Promise<ModeFigures> {
  const mailbox = await Mailbox.open();
  const started = performance.now();
  const server = await BenchServer.start(root, mode, process.env.BENCH_DATABASE_URL, DELIVERING_MAIL(mailbox)).catch(async (error: unknown) => {
    await mailbox.close();
    throw error;
  });
  const startupMs = performance.now() - started;
  log(`${mode}: server pid ${server.pid} ready on port ${server.port} in ${(startupMs / 1000).toFixed(1)} s (${server.databaseName})`);
  const clients: Client[] = [];
  try {
    // A monitoring body and a provider: each a person who signs up and confirms the mailed link.
    const monitor = await signUp(server.port, mailbox, 'monitoring_body', 'Bench Monitoring Body');
    const provider = await signUp(server.port, mailbox, 'provider', 'Bench Provider');
    clients.push(monitor.client, provider.client);
    // Then the server starts again with its jobs off and no mail, as the figures need it, before anything
    // is timed; the sessions are kept in the database and outlive the restart.
    await server.pause();
    await mailbox.close();
    await server.resume({ ...WITHOUT_JOBS, SMTP_URL: '' });
    log(`${mode}: two people signed up and confirmed their addresses; server restarted with its jobs off (pid ${server.pid})`);
    const setup: ModeFigures['setup'] = {};
    // The operator imports and publishes both codes.
    const operator = await signInOperator(server.port);
    clients.push(operator);
    for (const code of [LARGE, SMALL]) {
      const imported = await once(server, () => operator.expect(201, 'POST', '/api/v1/codes', { body: codeYaml(code.slug, code.sections, code.perSection), headers: { 'Content-Type': 'application/yaml' } }));
      const published = await once(server, () => operator.expect(200, 'POST', `/api/v1/codes/${code.slug}/versions/1.0.0/publish`));
      if (code === LARGE) Object.assign(setup, { 'import the 300-requirement code': imported, 'publish it': published });
    }
    // The monitoring body, accredited for both.
    for (const code of [LARGE, SMALL]) {
      await operator.expect(201, 'POST', `/api/v1/codes/${code.slug}/accreditations`, { body: { organization: monitor.slug, validFrom: day(-1), validUntil: day(365) } });
    }
    // The provider: a person with a session (pages) and an API token (API calls).
    const api = new Client(server.port);
    clients.push(api);
    api.token = (await provider.client.expect(201, 'POST', `/api/v1/orgs/${provider.slug}/tokens`, { body: { name: 'bench', scopes: ['read', 'write'] } })).body.token;
    const base = `/api/v1/orgs/${provider.slug}`;
    const service = (await api.expect(201, 'POST', `${base}/services`, { body: { name: 'Benchmark service', profile: {} } })).body;
    const evidence: string[] = [];
    for (let index = 1; index <= 6; index += 1) {
      evidence.push((await api.expect(201, 'POST', `${base}/evidence`, { body: { kind: 'link', title: `Policy document ${index}`, url: `https://example.org/policy-${index}` } })).body.id);
    }
    const assessments: Record<string, { id: string; answers: Array<{ requirementKey: string; version: number; evidenceRequired: boolean }> }> = {};
    for (const code of [LARGE, SMALL]) {
      const response = await once(server, () => api.expect(201, 'POST', `${base}/assessments`, { body: { serviceId: service.id, code: code.slug, version: '1.0.0', monitoringBody: monitor.slug, targetLevel: 1 } }));
      const expected = code.sections * code.perSection;
      if (response.body.answers.length !== expected) throw new Error(`${code.slug}: ${response.body.answers.length} requirements apply, expected ${expected}`);
      assessments[code.slug] = response.body;
      if (code === LARGE) setup['start the 300-requirement assessment'] = response;
      // Every answer filled in, in one request: a claim, a statement, evidence where required and on some others.
      const answers = response.body.answers.map((answer: { requirementKey: string; version: number; evidenceRequired: boolean }, index: number) => ({
        requirementKey: answer.requirementKey,
        claim: 'met',
        statement: `Control ${answer.requirementKey} is documented in our governance handbook, owned by the compliance lead, reviewed every year and its records are kept for five years.`,
        evidenceIds: answer.evidenceRequired ? [evidence[index % 6], evidence[(index + 1) % 6]] : index % 5 === 0 ? [evidence[index % 6]] : [],
        version: answer.version,
      }));
      const filled = await once(server, () => api.expect(200, 'PUT', `${base}/assessments/${response.body.id}/answers`, { body: { answers } }));
      if (code === LARGE) setup['save all 300 answers in one request'] = filled;
      assessments[code.slug].answers = filled.body.answers;
    }
    const large = assessments[LARGE.slug];
    const small = assessments[SMALL.slug];
    log(`${mode}: set up (300 + 30 requirements answered, ${evidence.length} evidence links)`);

    // Figure 1: pages, as the signed-in provider owner sees them (editable: the evidence library is read too).
    const app = `/app/${provider.slug}/assessments`;
    const pages: Array<{ label: string; client: Client; path: string }> = [
      { label: 'Workspace, 300-req. assessment, first section (30 cards)', client: provider.client, path: `${app}/${large.id}` },
      { label: 'Workspace, 300-req. assessment, ?section=S07 (30 cards)', client: provider.client, path: `${app}/${large.id}?section=S07` },
      { label: 'Workspace, 30-req. assessment (30 cards), for comparison', client: provider.client, path: `${app}/${small.id}` },
      { label: 'Report page, all 300 requirements on one page', client: provider.client, path: `${app}/${large.id}/report` },
      { label: 'API GET assessment JSON, 300 answers (token)', client: api, path: `${base}/assessments/${large.id}` },
    ];
    // The bare route takes its turn with the pages, as the reference of figure 1.
    const anonymous = new Client(server.port);
    clients.push(anonymous);
    const bareRoute: Send = async () => ({ ms: (await anonymous.expect(200, 'GET', '/health/live')).ms });
    const measured = await measureEach(server, REQUESTS, [
      ...pages.map((page) => async () => {
        const response = await page.client.expect(200, 'GET', page.path);
        return { ms: response.ms, bytes: response.text.length };
      }),
      bareRoute,
    ]);
    const pageFigures: PageFigure[] = pages.map((page, index) => ({ label: page.label, path: page.path, ...measured[index] }));
    const bareWithPages = measured[pages.length].time;
    for (const page of pageFigures) log(`${mode}: ${page.label}: median ${ms(page.time.median)} ms`);
    if (process.env.BENCH_SHOW_SQL) {
      for (const page of pages) showStatements(`GET ${page.path}`, await server.statementsOf(() => page.client.expect(200, 'GET', page.path)));
    }

    // Figure 2: one answer saved at a time, each on the version the previous save of it returned.
    // The bare route takes turns with them. Each measured save's key and the version it was made on are
    // kept, for its statements to be replayed on the answer as it was then.
    const versions = new Map(large.answers.map((answer) => [answer.requirementKey, answer.version]));
    const saved: Array<{ key: string; version: number }> = [];
    const [saves, bareWithSaves] = await measureEach(server, SAVES, [async (index) => {
      const answer = large.answers[(index + large.answers.length) % large.answers.length];
      const key = answer.requirementKey;
      if (index >= 0) saved.push({ key, version: versions.get(key)! });
      const response = await api.expect(200, 'PUT', `${base}/assessments/${large.id}/answers/${key}`, {
        body: {
          claim: index % 2 === 0 ? 'partially_met' : 'met',
          statement: `Save ${index}: control ${key} is documented, owned by the compliance lead and reviewed every year.`,
          evidenceIds: answer.evidenceRequired ? [evidence[Math.abs(index) % 6]] : [],
          version: versions.get(key),
        },
      });
      versions.set(key, response.body.version);
      return { ms: response.ms };
    }, bareRoute]);
    log(`${mode}: save one answer: median ${ms(saves.time.median)} ms`);
    if (process.env.BENCH_SHOW_SQL) {
      const answer = large.answers.find((candidate) => candidate.evidenceRequired)!;
      const path = `${base}/assessments/${large.id}/answers/${answer.requirementKey}`;
      const body = { claim: 'met', statement: 'Shown', evidenceIds: [evidence[0]], version: versions.get(answer.requirementKey) };
      showStatements(`PUT ${path}`, await server.statementsOf(() => api.expect(200, 'PUT', path, { body })));
    }

    // With figure 2, for comparison: a whole section of 30 changed answers in one request, as the workspace form sends it.
    const section = large.answers.filter((answer) => answer.requirementKey.startsWith('S03-'));
    const [sectionSaves] = await measureEach(
      server,
      SECTION_SAVES,
      [
        async (index) => {
          const response = await api.expect(200, 'PUT', `${base}/assessments/${large.id}/answers`, {
            body: {
              answers: section.map((answer) => ({
                requirementKey: answer.requirementKey,
                claim: 'met',
                statement: `Section save ${index}: control ${answer.requirementKey} is documented and reviewed every year.`,
                evidenceIds: answer.evidenceRequired ? [evidence[0]] : [],
                version: versions.get(answer.requirementKey),
              })),
            },
          });
          for (const answer of response.body.answers as Array<{ requirementKey: string; version: number }>) versions.set(answer.requirementKey, answer.version);
          return { ms: response.ms };
        },
      ],
      1,
    );
    log(`${mode}: save a section of 30 answers: median ${ms(sectionSaves.time.median)} ms`);

    // Figure 4: the submitted 300-requirement assessment, as its monitoring body reviews it.
    const review = await reviewFigures(server, provider.client, monitor, base, large.id, bareRoute);

    // Figure 3: a large file streamed as multipart/form-data, while the server's memory is watched.
    let upload: UploadFigure | undefined;
    if (UPLOAD_BYTES > 0) upload = await uploadFigure(server, api, base, uploadFile());

    // The raw-SQL references: the recorded statements sent straight to the database. Each save is
    // replayed on its answer set back to the version it was made on, so that it changes a row as it did.
    const database = await openDatabase(server, 'stay stopped');
    let sql: ModeFigures['sql'];
    let seeded: ModeFigures['seeded'];
    try {
      const [counts] = await database.query<{ organizations: string; answers: string; evidence: string }>(
        'SELECT (SELECT count(*) FROM organizations) AS organizations, (SELECT count(*) FROM answers WHERE assessment_id = $1) AS answers, (SELECT count(*) FROM evidence) AS evidence',
        [large.id],
      );
      seeded = { requirements: LARGE.sections * LARGE.perSection, answers: Number(counts.answers), organizations: Number(counts.organizations), evidence: Number(counts.evidence) };
      sql = {
        workspace: await replay(database, pageFigures[0].recorded.map((statements) => ({ statements }))),
        save: await replay(
          database,
          saves.recorded.map((statements, index) => ({
            statements,
            restore: { text: 'UPDATE answers SET version = $1 WHERE assessment_id = $2 AND requirement_key = $3', values: [String(saved[index].version), large.id, saved[index].key] },
          })),
        ),
        review: await replay(database, review.pages[0].recorded.map((statements) => ({ statements }))),
      };
    } finally {
      await database.close();
    }
    for (const [what, summary] of Object.entries(sql)) log(`${mode}: ${what}, its SQL straight: ${typeof summary === 'string' ? summary : `median ${ms(summary.median)} ms`}`);
    return {
      mode,
      database: server.databaseName,
      startupMs,
      setup,
      pages: pageFigures,
      saves,
      sectionSaves,
      reviews: review.pages,
      bareRoute: { pages: bareWithPages, saves: bareWithSaves.time, reviews: review.bareRoute },
      sql,
      seeded,
      upload,
    };
  } finally {
    for (const client of clients) client.close();
    await server.stop();
    await mailbox.close();
  }
}

/** The owner signs and submits the assessment; the monitoring body's admin declares no conflict and opens the review. */
async function reviewFigures(server: BenchServer, owner: Client, monitor: { client: Client; slug: string }, base: string, id: string, bareRoute: Send): Promise<{ pages: PageFigure[]; bareRoute: Summary }> {
  await owner.expect(200, 'POST', `${base}/assessments/${id}/submit`, { body: { signatory: { name: 'Bench Owner', title: 'Director', confirm: true } } });
  const reviews = `/api/v1/orgs/${monitor.slug}/reviews/${id}`;
  await monitor.client.expect(201, 'POST', `${reviews}/declaration`, { body: { conflict: false, statement: 'No interest in this provider.' } });
  const pages = [
    { label: 'Review workspace, 300-req. submission, first section (30 cards)', path: `/app/${monitor.slug}/reviews/${id}` },
    { label: 'Review workspace, 300-req. submission, ?section=S07 (30 cards)', path: `/app/${monitor.slug}/reviews/${id}?section=S07` },
    { label: 'API GET review JSON, 300 requirements', path: reviews },
  ];
  const measured = await measureEach(server, REQUESTS, [
    ...pages.map((page) => async () => {
      const response = await monitor.client.expect(200, 'GET', page.path);
      return { ms: response.ms, bytes: response.text.length };
    }),
    bareRoute,
  ]);
  const figures = pages.map((page, index) => ({ ...page, ...measured[index] }));
  for (const figure of figures) log(`${server.mode}: ${figure.label}: median ${ms(figure.time.median)} ms`);
  if (process.env.BENCH_SHOW_SQL) showStatements(`GET ${pages[0].path}`, await server.statementsOf(() => monitor.client.expect(200, 'GET', pages[0].path)));
  return { pages: figures, bareRoute: measured[pages.length].time };
}

async function uploadFigure(server: BenchServer, api: Client, base: string, file: string): Promise<UploadFigure> {
  const boundary = `----adhere-bench-${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBenchmark upload\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="confirmation"\r\n\r\ntrue\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-upload.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
    yield tail;
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rssBaseline = server.rss();
  let rssPeak = rssBaseline;
  let samples = 0;
  const sampler = setInterval(() => {
    try {
      rssPeak = Math.max(rssPeak, server.rss());
      samples += 1;
    } catch {
      // The process is gone; the request fails on its own.
    }
  }, 20);
  log(`${server.mode}: uploading ${mib(UPLOAD_BYTES)} MiB…`);
  let response;
  try {
    response = await api.request<any>('POST', `${base}/evidence`, {
      stream: Readable.from(body(), { objectMode: false }),
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + UPLOAD_BYTES + tail.length },
    });
  } finally {
    clearInterval(sampler);
  }
  rssPeak = Math.max(rssPeak, server.rss());
  if (response.status !== 201) throw new Error(`Upload: expected 201, got ${response.status}: ${response.text.slice(0, 500)}`);
  const hashing = performance.now();
  const sum = spawnSync('sha256sum', [file], { encoding: 'utf8' });
  const sha256sumSeconds = (performance.now() - hashing) / 1000;
  if (sum.status !== 0) throw new Error(`sha256sum failed: ${sum.stderr}`);
  return {
    bytes: UPLOAD_BYTES,
    seconds: response.ms / 1000,
    status: response.status,
    sha256: response.body.revision?.sha256,
    rssBaseline,
    rssPeak,
    samples,
    sha256sumSeconds,
    sha256sumHash: sum.stdout.split(/\s/)[0],
  };
}

function showStatements(request: string, statements: string[]): void {
  process.stderr.write(`\n  SQL statements of ${request} (${statements.length}):\n`);
  statements.forEach((text, index) => process.stderr.write(`   ${String(index + 1).padStart(3)}. ${text.length > 220 ? `${text.slice(0, 220)}…` : text}\n`));
  process.stderr.write('\n');
}

/**
 * A file of UPLOAD_BYTES that every evidence policy accepts: a CSV of random hex digits (a code may
 * refuse PDFs it cannot open, and a PDF header before random bytes is one it cannot).
 */
function createUploadFile(directory: string): string {
  const path = join(directory, 'bench-upload.csv');
  const started = performance.now();
  const descriptor = openSync(path, 'w');
  try {
    const header = Buffer.from('digits\n');
    writeSync(descriptor, header);
    const random = Buffer.alloc(4 * 1024 * 1024);
    for (let written = header.length; written < UPLOAD_BYTES; ) {
      randomFillSync(random);
      const chunk = Buffer.from(random.toString('hex'), 'latin1');
      written += writeSync(descriptor, chunk, 0, Math.min(chunk.length, UPLOAD_BYTES - written));
    }
  } finally {
    closeSync(descriptor);
  }
  log(`created ${path} (${mib(UPLOAD_BYTES)} MiB of random hex digits in one CSV column) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

const same = (summary: Summary) => (summary.min === summary.max ? `${summary.median}` : `${summary.median} (min ${summary.min}, max ${summary.max})`);

const label = (mode: Mode) => (mode === 'embedded' ? 'embedded PGlite' : 'PostgreSQL server');

/** The rows of figures 1–4 of one database in the bench's table. */
function figureRows(figures: ModeFigures): FigureRow[] {
  const database = label(figures.mode);
  const [workspace, , smallWorkspace, reportPage] = figures.pages;
  const bare = figures.bareRoute;
  const rows: FigureRow[] = [
    {
      figure: 'Workspace page, 300-requirement assessment',
      target: 'server time under 100 ms (#4)',
      database,
      measured: `${times(workspace.time, 'p95', 'median')} (${workspace.time.n} requests)`,
      reference: `bare route p95 ${ms(bare.pages.p95)} ms; ${sqlReference(figures.sql.workspace, 'p95')}`,
      met: workspace.time.p95 < 100,
    },
    {
      figure: 'Workspace page, SQL statements per request',
      target: 'bounded whatever the size, no query per requirement (#4)',
      database,
      // Medians: a statement of a scheduled job that happens to run during a request is counted with it.
      measured: `${workspace.queries.median} for 300 requirements (median)`,
      reference: `${smallWorkspace.queries.median} for 30 requirements; ${reportPage.queries.median} for all 300 on one page`,
      met: workspace.queries.median <= smallWorkspace.queries.median,
    },
  ];
  if (figures.saves.time.n > 0) {
    rows.push({
      figure: 'Saving one answer',
      target: 'p95 under 20 ms on the embedded and on the server database (#4)',
      database,
      measured: `${times(figures.saves.time, 'p95', 'median')} (${figures.saves.time.n} saves)`,
      reference: `bare route p95 ${ms(bare.saves.p95)} ms; ${sqlReference(figures.sql.save, 'p95')}`,
      met: figures.saves.time.p95 < 20,
    });
  }
  const upload = figures.upload;
  if (upload) {
    const uploadRate = upload.bytes / 1_048_576 / upload.seconds;
    const sumRate = upload.bytes / 1_048_576 / upload.sha256sumSeconds;
    const sameHash = upload.sha256 === upload.sha256sumHash ? 'equal to the stored sha256' : 'DIFFERENT from the stored sha256';
    rows.push(
      {
        figure: `Upload of ${mib(upload.bytes)} MiB: throughput`,
        target: 'at least half of sha256sum on the same file (#4)',
        database,
        measured: `${uploadRate.toFixed(0)} MiB/s, ${((100 * uploadRate) / sumRate).toFixed(0)} % of sha256sum`,
        reference: `sha256sum: ${sumRate.toFixed(0)} MiB/s, ${sameHash}`,
        met: uploadRate >= sumRate / 2,
      },
      {
        figure: `Upload of ${mib(upload.bytes)} MiB: memory`,
        target: "the process's memory grows by under 64 MiB (#4)",
        database,
        measured: `server RSS growth ${mib(upload.rssPeak - upload.rssBaseline)} MiB`,
        reference: `the file: ${mib(upload.bytes)} MiB; RSS before ${mib(upload.rssBaseline)} MiB`,
        met: upload.rssPeak - upload.rssBaseline < 64 * 1_048_576,
      },
    );
  }
  const [review] = figures.reviews;
  rows.push({
    figure: 'Review workspace, 300-requirement submission',
    target: 'note the median render time (#5, no threshold)',
    database,
    measured: `${times(review.time, 'median', 'p95')} (${review.time.n} requests)`,
    reference: `bare route median ${ms(bare.reviews.median)} ms; ${sqlReference(figures.sql.review, 'median')}`,
    met: null,
  });
  return rows;
}

/** Rows of the same figure next to each other, in the order the figures first appear. */
function byFigure(rows: FigureRow[]): FigureRow[] {
  const order = [...new Set(rows.map((row) => row.figure))];
  return order.flatMap((figure) => rows.filter((row) => row.figure === figure));
}

/** The details behind the table's rows of figures 1–4: every page, its SQL statements, sizes. */
function detailRows(figures: ModeFigures): string[][] {
  const rows: string[][] = [];
  for (const page of figures.pages) {
    rows.push([
      `1 ${page.label}`,
      label(figures.mode),
      `median ${ms(page.time.median)} ms, p95 ${ms(page.time.p95)} ms (n=${page.time.n}); ${same(page.queries)} SQL statements/request, of which ${same(page.overhead)} transaction control/settings; DB busy median ${ms(page.sqlBusy.median)} ms; ${(page.bytes / 1024).toFixed(0)} KiB`,
    ]);
  }
  rows.push([`1 Bare route GET /health/live, taking turns with the pages`, label(figures.mode), `median ${ms(figures.bareRoute.pages.median)} ms, p95 ${ms(figures.bareRoute.pages.p95)} ms`]);
  const s = figures.saves;
  if (s.time.n > 0) rows.push([
    '2 Save one answer (PUT …/answers/:key), 300-req. assessment',
    label(figures.mode),
    `median ${ms(s.time.median)} ms, p95 ${ms(s.time.p95)} ms, p99 ${ms(s.time.p99)} ms, max ${ms(s.time.max)} ms (n=${s.time.n}); ${same(s.queries)} SQL statements/save, of which ${same(s.overhead)} transaction control/settings; DB busy median ${ms(s.sqlBusy.median)} ms; ${sqlReference(figures.sql.save, 'median', 'p95')}`,
  ]);
  const section = figures.sectionSaves;
  if (section.time.n > 0) rows.push([
    '2 … for comparison: save a section of 30 changed answers (PUT …/answers)',
    label(figures.mode),
    `median ${ms(section.time.median)} ms, p95 ${ms(section.time.p95)} ms (n=${section.time.n}); ${same(section.queries)} SQL statements/request`,
  ]);
  for (const page of figures.reviews) {
    rows.push([
      `4 ${page.label}`,
      label(figures.mode),
      `median ${ms(page.time.median)} ms, p95 ${ms(page.time.p95)} ms (n=${page.time.n}); ${same(page.queries)} SQL statements/request; DB busy median ${ms(page.sqlBusy.median)} ms; ${(page.bytes / 1024).toFixed(0)} KiB`,
    ]);
  }
  const u = figures.upload;
  if (u) {
    rows.push([
      `3 Upload ${mib(u.bytes)} MiB (multipart, streamed, token)`,
      label(figures.mode),
      `${u.seconds.toFixed(2)} s; server RSS baseline ${mib(u.rssBaseline)} MiB, peak ${mib(u.rssPeak)} MiB (${u.samples} samples at 20 ms); sha256sum ${u.sha256sumSeconds.toFixed(2)} s`,
    ]);
  }
  return rows;
}

function report(all: ModeFigures[], register: Array<{ mode: Mode; figures: RegisterFigures }>): void {
  const rows = [...all.flatMap(figureRows), ...register.flatMap(({ mode, figures }) => registerFigureRows(figures, label(mode)))];
  console.log(figureTable(byFigure(rows)));
  console.log('\nMet: a plain comparison of the measured figure with the target, printed only; the run asserts nothing.');
  console.log(
    'Its SQL straight: the statements of the measured requests, replayed with pg to the same database; for embedded PGlite with the server stopped,\n' +
      'PGlite opened by the bench on the same data folder and served on a loopback socket as the server serves it.',
  );
  console.log('\nSeeded:');
  for (const figures of all) {
    const { requirements, answers, organizations, evidence } = figures.seeded;
    console.log(`- ${label(figures.mode)}: an assessment of a ${requirements}-requirement code with ${answers} answers, all filled in (and one of a 30-requirement code); ${organizations} organizations; ${evidence} pieces of evidence.`);
  }
  for (const { mode, figures } of register) {
    const { organizations, providers, entries } = figures.seeded;
    console.log(`- ${label(mode)}, register: ${entries.toLocaleString('en')} register entries and ${organizations.toLocaleString('en')} organizations (${providers.toLocaleString('en')} providers), by SQL in ${figures.seedSeconds.toFixed(0)} s.`);
  }
  console.log('\nDetails:');
  const details = [...all.flatMap(detailRows), ...register.flatMap(({ mode, figures }) => registerRows(figures, label(mode)))];
  for (const [figure, database, result] of details) console.log(`- ${figure} (${database}): ${result}`);
  for (const figures of all) {
    const setup = Object.entries(figures.setup).map(([what, { ms: time, queries }]) => `${what} ${ms(time)} ms (${queries} SQL statements)`).join('; ');
    console.log(`- ${label(figures.mode)} (${figures.database}): server ready in ${(figures.startupMs / 1000).toFixed(1)} s (migrations included); single requests during set-up: ${setup}.`);
  }
}

async function registerBench(root: string, mode: Mode): Promise<RegisterFigures> {
  const server = await BenchServer.start(root, mode, process.env.BENCH_DATABASE_URL, WITHOUT_JOBS);
  log(`${mode}: server pid ${server.pid} ready on port ${server.port} for the register figures (${server.databaseName})`);
  try {
    return await registerFigures(server);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const root = projectRoot();
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const modes = (process.env.BENCH_MODES ? process.env.BENCH_MODES.split(',').map((mode) => mode.trim()) : serverUrl ? ['embedded', 'server'] : ['embedded']) as Mode[];
  for (const mode of modes) {
    if (mode !== 'embedded' && mode !== 'server') throw new Error(`BENCH_MODES: unknown mode ${mode} (embedded or server)`);
    if (mode === 'server' && !serverUrl) throw new Error('The server mode needs BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  }
  if (!existsSync(join(root, 'dist', 'src', 'main.js'))) throw new Error('dist/src/main.js is missing: run `npm run build` first (npm run bench does)');

  const cpus = os.cpus();
  console.log(`Adhere benchmark, ${new Date().toISOString()}`);
  console.log(`Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim()}, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')} at start.`);
  console.log(
    `Method: the built server (node dist/src/main.js, NODE_ENV=${NODE_ENV}) runs in a child process with a temporary DATA_DIR; requests are sent one at a time over one kept-alive\n` +
      `loopback connection, timed by the client from sending to the last byte read; ${WARM_UPS} warm-up rounds first, then the pages take turns. SQL statements are counted inside the server\n` +
      "by wrapping pg's Client.query (test/bench/query-counter.ts); \"DB busy\" is the time at least one statement was in flight during the request.\n" +
      'References, each measured in the same run: the bare route GET /health/live of the same server, taking turns with the measured requests or under the same load;\n' +
      'sha256sum on the uploaded file; and "its SQL straight": the statements the measured requests sent, recorded in the server with their parameters and sent again\n' +
      'one request after another with pg to the same database (the embedded one with the server stopped, opened here and served on a loopback socket as the server does).\n',
  );

  const temporary = mkdtempSync(join(os.tmpdir(), 'adhere-bench-'));
  let file: string | undefined;
  const uploadFile = () => {
    if (file) return file;
    const free = statfsSync(temporary).bavail * statfsSync(temporary).bsize;
    // The file itself, the server's staged-then-stored copy, and some room.
    if (free < 2 * UPLOAD_BYTES + 512 * 1024 * 1024) throw new Error(`Not enough space in ${os.tmpdir()}: ${mib(free)} MiB free, the upload figure needs ${mib(2 * UPLOAD_BYTES + 512 * 1024 * 1024)} MiB`);
    file = createUploadFile(temporary);
    return file;
  };
  const cleanUp = () => rmSync(temporary, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log('interrupted: stopping the servers, dropping their databases');
      void Promise.allSettled([...BenchServer.running].map((server) => server.stop())).finally(() => {
        cleanUp();
        process.exit(130);
      });
    });
  }
  const which = (process.env.BENCH_FIGURES ?? 'assessment,register').split(',').map((figure) => figure.trim());
  for (const figure of which) if (figure !== 'assessment' && figure !== 'register') throw new Error(`BENCH_FIGURES: unknown figures ${figure} (assessment or register)`);
  const all: ModeFigures[] = [];
  const register: Array<{ mode: Mode; figures: RegisterFigures }> = [];
  try {
    for (const mode of modes) {
      if (which.includes('assessment')) all.push(await benchMode(root, mode, uploadFile));
      if (which.includes('register')) register.push({ mode, figures: await registerBench(root, mode) });
    }
  } finally {
    cleanUp();
  }
  report(all, register);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
