import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '../bench/http-client';
import type { BenchServer } from '../bench/server';
import { sql } from './database';
import { fullAnswers, type Workspace } from './workspace';

const SIGNATORY = { name: 'Load Owner', title: 'Director', confirm: true };
/** The slow upload declares this size and sends only its first megabytes. */
const SLOW_UPLOAD_BYTES = 256 * 1024 * 1024;
const SMALL_UPLOAD_BYTES = 512 * 1024;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface KillRound {
  round: number;
  delayMs: number;
  /** What each request fired before the kill got back: a status, or the error that ended it. */
  answered: { submits: string[]; smallUpload: string };
  stagedBytes: number;
  state: string;
  restartMs: number;
  checks: Check[];
}

export interface KillReport {
  submitMs: number;
  rounds: KillRound[];
  /** Staging files the kills left in DATA_DIR/uploads (removed at a start once a day old; never visible). */
  stagingLeftovers: number;
  /** Stored files no revision names: a kill between storing a file and committing its rows. */
  unreferencedFiles: number;
}

/**
 * `multipart/form-data` of one CSV file, a title and the confirmation an evidence policy may ask for: the
 * head, and the tail that ends it. The file is text every policy accepts.
 */
function multipart(title: string, fileName: string): { boundary: string; head: Buffer; tail: Buffer } {
  const boundary = `----adhere-load-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="confirmation"\r\n\r\ntrue\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  return { boundary, head, tail: Buffer.from(`\r\n--${boundary}--\r\n`) };
}

/** A CSV column of random hex digits, `size` bytes long. */
const csvBytes = (size: number) => Buffer.concat([Buffer.from('digits\n'), Buffer.from(randomBytes(Math.ceil(size / 2)).toString('hex').slice(0, size - 7))]);

/** Sends an upload by hand; with `slow`, only a little of the file, a chunk at a time, until the socket dies. */
function upload(port: number, path: string, token: string, title: string, size: number, slow: boolean): Promise<string> {
  const { boundary, head, tail } = multipart(title, `${title.replace(/\W+/g, '-')}.csv`);
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + size + tail.length },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(String(response.statusCode)));
        response.on('error', (error) => resolve(`response ${error.message}`));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.write(head);
    if (!slow) {
      request.end(Buffer.concat([csvBytes(size), tail]));
      return;
    }
    const chunk = csvBytes(256 * 1024);
    const timer = setInterval(() => {
      if (request.destroyed) clearInterval(timer);
      else request.write(chunk);
    }, 50);
    request.on('close', () => clearInterval(timer));
  });
}

function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Waits until a staging file not among `earlier` holds at least 1 MiB: the slow upload is under way. */
async function untilStaged(dataDir: string, earlier: ReadonlySet<string>): Promise<number> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const sizes = filesUnder(join(dataDir, 'uploads'))
      .filter((path) => !earlier.has(path))
      .map((path) => statSync(path).size);
    const largest = Math.max(0, ...sizes);
    if (largest >= 1024 * 1024) return largest;
    await sleep(20);
  }
  throw new Error('The slow upload never reached the staging folder');
}

const label = (settled: PromiseSettledResult<string>) => (settled.status === 'fulfilled' ? settled.value : String(settled.reason?.code ?? settled.reason?.message ?? settled.reason));

/**
 * SIGKILL in the middle of work, a few times: each round has a slow evidence upload streaming,
 * fires two submissions of a draft assessment at once (a double click) and a small upload, kills
 * the server after a random delay that closes in on the submission's commit, restarts it on the same
 * DATA_DIR and database, and checks what the API, the pages and the database show.
 */
export async function runKills(server: BenchServer, workspace: Workspace, rounds: number): Promise<KillReport> {
  const { owner, api, base } = workspace;
  const url = server.databaseUrl!;
  const assessments = `${base}/assessments`;

  // Two submissions undisturbed: the submitted state to compare with, and how long a warm one takes.
  let current = workspace.assessmentId;
  const report: KillReport = { submitMs: 0, rounds: [], stagingLeftovers: 0, unreferencedFiles: 0 };
  for (let undisturbed = 0; undisturbed < 2; undisturbed += 1) {
    if (undisturbed > 0) current = await nextDraft(owner, api, workspace, current);
    report.submitMs = (await owner.expect(200, 'POST', `${assessments}/${current}/submit`, { body: { signatory: SIGNATORY } })).ms;
    const { checks } = await submissionChecks(url, owner, base, current, 'submitted');
    report.rounds.push({ round: 0, delayMs: NaN, answered: { submits: ['200'], smallUpload: 'none' }, stagedBytes: 0, state: 'submitted', restartMs: 0, checks });
  }
  // Where to kill: anywhere within three submissions' time at first, then closing in on the commit,
  // later after a kill that left a draft and earlier after one that left a submission.
  const killWindow = { earliest: 0, latest: 3 * report.submitMs };

  for (let round = 1; round <= rounds; round += 1) {
    current = await nextDraft(owner, api, workspace, current);
    const leftovers = new Set(filesUnder(join(server.dataDir, 'uploads')));
    const slow = upload(server.port, `${base}/evidence`, workspace.token, `Killed upload ${round}`, SLOW_UPLOAD_BYTES, true);
    const stagedBytes = await untilStaged(server.dataDir, leftovers);
    const delayMs = Math.round(killWindow.earliest + Math.random() * (killWindow.latest - killWindow.earliest));
    const fired = Promise.allSettled([
      owner.request<string>('POST', `${assessments}/${current}/submit`, { body: { signatory: SIGNATORY } }).then((response) => String(response.status)),
      owner.request<string>('POST', `${assessments}/${current}/submit`, { body: { signatory: SIGNATORY } }).then((response) => String(response.status)),
      upload(server.port, `${base}/evidence`, workspace.token, `Small upload ${round}`, SMALL_UPLOAD_BYTES, false),
    ]);
    await sleep(delayMs);
    process.kill(server.pid, 'SIGKILL');
    const [first, second, small] = await fired;
    await slow;
    // The owner's client kept a connection to the dead process.
    owner.close();
    api.close();
    await server.pause();
    const restarting = Date.now();
    await server.resume();
    const restartMs = Date.now() - restarting;

    const submits = [label(first), label(second)];
    const smallUpload = label(small);
    const state = (await sql<{ state: string }>(url, 'SELECT state FROM assessments WHERE id = $1', [current]))[0].state;
    if (state === 'draft') killWindow.earliest = delayMs;
    else killWindow.latest = delayMs;
    const checks: Check[] = [];
    checks.push({ name: 'one consistent state after the kill', ok: state === 'draft' || state === 'submitted', detail: `state ${state}` });
    if (submits.includes('200')) checks.push({ name: 'an acknowledged submission stays submitted', ok: state === 'submitted', detail: `answered ${submits.join(', ')}; state ${state}` });
    checks.push(...(await submissionChecks(url, owner, base, current, state)).checks);
    checks.push(...(await evidenceChecks(server, workspace, round, smallUpload)));
    process.stderr.write(`  … kill round ${round}: killed ${delayMs} ms after firing (submits ${submits.join(', ')}; small upload ${smallUpload}); restarted in ${(restartMs / 1000).toFixed(1)} s; assessment ${state}\n`);
    report.rounds.push({ round, delayMs, answered: { submits, smallUpload }, stagedBytes, state, restartMs, checks });
  }
  report.stagingLeftovers = filesUnder(join(server.dataDir, 'uploads')).length;
  const referenced = new Set(
    (await sql<{ sha256: string }>(url, `SELECT r.sha256 FROM evidence_revisions r JOIN evidence e ON e.id = r.evidence_id WHERE e.kind = 'file'`)).map((row) => row.sha256),
  );
  report.unreferencedFiles = filesUnder(join(server.dataDir, 'evidence')).filter((path) => !referenced.has(path.split('/').pop()!)).length;
  return report;
}

/** A draft to submit next: the killed one if it stayed a draft, else a new one carried forward from it. */
async function nextDraft(owner: Client, api: Client, workspace: Workspace, previous: string): Promise<string> {
  const assessments = `${workspace.base}/assessments`;
  const detail = (await api.expect(200, 'GET', `${assessments}/${previous}`)).body;
  if (detail.state === 'draft') return previous;
  await owner.expect(200, 'POST', `${assessments}/${previous}/withdraw`);
  const started = await api.expect(201, 'POST', assessments, {
    body: { serviceId: workspace.serviceId, code: detail.code?.slug ?? 'load-code', version: '1.0.0', monitoringBody: workspace.monitorSlug, targetLevel: 1, copyFrom: previous },
  });
  if ((started.body.gaps ?? []).length > 0) {
    await api.expect(200, 'PUT', `${assessments}/${started.body.id}/answers`, { body: { answers: fullAnswers(started.body.answers, workspace.evidenceIds, 'Refilled') } });
  }
  return started.body.id;
}

/**
 * The assessment is a draft, editable, with nothing of a submission; or submitted, with exactly one
 * signed snapshot of all its answers, its audit event and the monitoring body's notification; the
 * API says the same as the database, and the audit chain is unbroken.
 */
async function submissionChecks(url: string, owner: Client, base: string, id: string, state: string): Promise<{ checks: Check[] }> {
  const [row] = await sql<{ state: string; submitted_at: Date | null; round: number; answers: number; submissions: number; snapshot_answers: number | null; audits: number; notifications: number }>(
    url,
    `SELECT a.state, a.submitted_at, a.round,
            (SELECT count(*)::int FROM answers WHERE assessment_id = a.id) AS answers,
            (SELECT count(*)::int FROM assessment_submissions WHERE assessment_id = a.id) AS submissions,
            (SELECT jsonb_array_length(snapshot->'answers') FROM assessment_submissions WHERE assessment_id = a.id AND round = a.round) AS snapshot_answers,
            (SELECT count(*)::int FROM audit_events WHERE target_id = a.id::text AND action = 'assessment.submit') AS audits,
            (SELECT count(*)::int FROM notifications WHERE key = 'submitted:' || a.id || ':' || a.round) AS notifications
       FROM assessments a WHERE a.id = $1`,
    [id],
  );
  const checks: Check[] = [];
  const facts = `submitted_at ${row.submitted_at ? 'set' : 'null'}, ${row.submissions} submission(s) with ${row.snapshot_answers ?? 0}/${row.answers} answers, ${row.audits} audit event(s), ${row.notifications} notification(s)`;
  if (state === 'submitted') {
    const whole = row.submitted_at !== null && row.submissions === 1 && row.snapshot_answers === row.answers && row.audits === 1 && row.notifications === 1;
    checks.push({ name: 'submitted: snapshot, audit event and notification all present, once', ok: whole, detail: facts });
  } else {
    const none = row.submitted_at === null && row.submissions === 0 && row.audits === 0 && row.notifications === 0;
    checks.push({ name: 'draft: no trace of a submission', ok: none, detail: facts });
  }
  const detail = await owner.request<any>('GET', `${base}/assessments/${id}`);
  const submissions = await owner.request<any[]>('GET', `${base}/assessments/${id}/submissions`);
  const seen = `API: ${detail.status} ${detail.body?.state}, ${submissions.status} with ${Array.isArray(submissions.body) ? submissions.body.length : '?'} submission(s)`;
  checks.push({
    name: 'the API shows the same state and submissions',
    ok: detail.status === 200 && detail.body.state === row.state && submissions.status === 200 && submissions.body.length === row.submissions,
    detail: seen,
  });
  // Saving an answer again proves the draft editable, and must be refused once submitted.
  const answer = detail.body?.answers?.[0];
  if (answer) {
    const save = await owner.request('PUT', `${base}/assessments/${id}/answers/${answer.requirementKey}`, {
      body: {
        claim: answer.claim ?? 'met',
        statement: `Checked after a restart at ${new Date().toISOString()}.`,
        justification: answer.justification,
        evidenceIds: (answer.evidence ?? []).map((item: { id: string }) => item.id),
        version: answer.version,
      },
    });
    const editable = state === 'draft' ? save.status === 200 : save.status === 409;
    checks.push({ name: state === 'draft' ? 'the draft is editable' : 'the submission is not editable', ok: editable, detail: `saving an answer answered ${save.status}` });
  }
  const chain = await owner.request<{ valid: boolean; checked: number }>('GET', `${base}/audit/verify`);
  checks.push({ name: 'the audit chain verifies', ok: chain.status === 200 && chain.body.valid === true, detail: `${chain.status}: ${chain.text.slice(0, 120)}` });
  return { checks };
}

/**
 * The killed upload left no evidence anywhere; the small one is whole or absent (and present if it
 * was acknowledged); every file revision has its stored file; the API lists what the database holds.
 */
async function evidenceChecks(server: BenchServer, workspace: Workspace, round: number, smallUpload: string): Promise<Check[]> {
  const url = server.databaseUrl!;
  const checks: Check[] = [];
  const rows = await sql<{ id: string; title: string; kind: string }>(url, 'SELECT id, title, kind FROM evidence WHERE organization_id = $1', [workspace.providerId]);
  const killed = `Killed upload ${round}`;
  const listed = await workspace.api.request<Array<{ id: string; title: string }>>('GET', `${workspace.base}/evidence`);
  const page = await workspace.owner.request<string>('GET', `/app/${workspace.providerSlug}/evidence`);
  const search = await workspace.api.request<unknown[]>('GET', `${workspace.base}/evidence?q=${encodeURIComponent(killed)}`);
  checks.push({
    name: 'the upload killed mid-stream left no evidence (database, API, page)',
    ok: !rows.some((row) => row.title === killed) && listed.status === 200 && !listed.body.some((item) => item.title === killed) && page.status === 200 && !page.text.includes(killed) && search.status === 200 && search.body.length === 0,
    detail: `rows ${rows.filter((row) => row.title === killed).length}, API ${listed.status}, page ${page.status}, search ${search.status} with ${Array.isArray(search.body) ? search.body.length : '?'}`,
  });
  const small = rows.filter((row) => row.title === `Small upload ${round}`);
  checks.push({
    name: 'the small upload is stored once or not at all, and stored if acknowledged',
    ok: small.length <= 1 && (smallUpload !== '201' || small.length === 1),
    detail: `answered ${smallUpload}; ${small.length} evidence row(s)`,
  });
  checks.push({
    name: 'the API lists exactly the evidence the database holds',
    ok: listed.status === 200 && listed.body.length === rows.length,
    detail: `API ${listed.body.length}, database ${rows.length}`,
  });
  const files = await sql<{ evidence_id: string; number: number; sha256: string; size: string }>(
    url,
    `SELECT r.evidence_id, r.number, r.sha256, r.size FROM evidence_revisions r JOIN evidence e ON e.id = r.evidence_id WHERE e.kind = 'file' AND e.organization_id = $1`,
    [workspace.providerId],
  );
  const missing = files.filter((file) => {
    const path = join(server.dataDir, 'evidence', workspace.providerId, file.sha256.slice(0, 2), file.sha256);
    return !existsSync(path) || statSync(path).size !== Number(file.size);
  });
  checks.push({ name: 'every file revision has its whole stored file', ok: missing.length === 0, detail: `${files.length} file revision(s), ${missing.length} without their file` });
  const revisionless = await sql<{ n: number }>(url, `SELECT count(*)::int AS n FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM evidence_revisions r WHERE r.evidence_id = e.id AND r.number = e.current_revision)`);
  checks.push({ name: 'no evidence row without its current revision', ok: revisionless[0].n === 0, detail: `${revisionless[0].n} such row(s)` });
  for (const file of files.filter((candidate) => rows.some((row) => row.id === candidate.evidence_id && row.title === `Small upload ${round}`))) {
    const content = await workspace.api.request('GET', `${workspace.base}/evidence/${file.evidence_id}/revisions/${file.number}/content`);
    checks.push({ name: 'the small upload downloads whole', ok: content.status === 200 && Number(content.headers['content-length'] ?? content.text.length) === Number(file.size), detail: `${content.status}, ${content.headers['content-length']} of ${file.size} bytes` });
  }
  return checks;
}
