import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchServer } from '../bench/server';
import { sql } from './database';
import { isGood, Load, type GroupFigure, type RouteGroup } from './load';
import type { PrivateCluster } from './private-cluster';
import type { Workspace } from './workspace';

/** A request that takes longer than this has hung: the pool gives up connecting after 5 s. */
const REQUEST_TIMEOUT_MS = 15_000;
const PROBE_EVERY_MS = 200;
/** How long after the database is back the service must serve reads and writes again. */
export const RECOVERY_LIMIT_S = 30;
/** For this long after the service is back, a request may still meet a connection the outage broke. */
const SETTLE_MS = 2_000;
/** How long everything keeps running once recovered, to see that it stays so. */
const TAIL_MS = 3_000;

/** One request of a prober or writer: its status, or 0 with the error's name when it got none. */
interface Attempt {
  sentAt: number;
  at: number;
  status: number;
  failure?: string;
}

async function send(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Attempt & { json?: any }> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON; only the status matters then.
    }
    return { sentAt, at: Date.now(), status: response.status, json };
  } catch (error) {
    const failure = error.name === 'TimeoutError' ? 'timeout' : `${error.name}: ${error.cause?.code ?? error.message}`;
    return { sentAt, at: Date.now(), status: 0, failure };
  }
}

/** Runs `step` over and over until stopped, one call at a time. */
class Loop {
  private running = true;
  private readonly finished: Promise<void>;

  constructor(step: () => Promise<void>, pauseMs: number) {
    this.finished = (async () => {
      while (this.running) {
        await step();
        await sleep(pauseMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.finished;
  }
}

/** Asks /health/ready every 200 ms, whether or not the previous answer came, as a load balancer would. */
export class Prober {
  readonly probes: Attempt[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;

  constructor(port: number) {
    this.timer = setInterval(() => {
      const probe = send(port, 'GET', '/health/ready', { Accept: 'application/json' }).then((attempt) => {
        this.probes.push(attempt);
        this.pending.delete(probe);
      });
      this.pending.add(probe);
    }, PROBE_EVERY_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.pending]);
  }

  summary(): ProbeSummary {
    return { total: this.probes.length, byStatus: tally(this.probes), maxMs: Math.max(0, ...this.probes.map((probe) => probe.at - probe.sentAt)) };
  }
}

export interface ProbeSummary {
  total: number;
  byStatus: Record<string, number>;
  maxMs: number;
}

export interface OutageReport {
  /** Milliseconds since the stop was issued. */
  timeline: {
    stopped: number;
    startIssued: number;
    started: number;
    first503?: number;
    first200AfterStart?: number;
    firstReadAfterStart?: number;
    firstWritesAfterStart?: number;
    /** Probes sent after the stop completed and answered 200 before the start was issued. */
    healthyWhileDown: number;
  };
  probes: ProbeSummary;
  evidence: { attempted: number; acknowledged: number; found: number; missing: string[]; unacknowledgedButStored: number; failures: Record<string, number> };
  answer: { attempted: number; acknowledged: number; lastAcknowledged?: { index: number; version: number }; stored?: { index: number; version: number }; failures: Record<string, number> };
  load: GroupFigure[];
  /** Load requests that failed outside the outage, i.e. before the stop or after recovery had settled. */
  loadFailuresOutside: number;
  loadFailuresDuring: number;
  /** Writes that failed before the stop or after recovery had settled (409 of a save is a conflict, not a failure). */
  writeFailuresOutside: number;
  samePid: boolean;
}

const tally = (attempts: Attempt[]) =>
  attempts.reduce<Record<string, number>>((counts, attempt) => {
    const key = attempt.failure ?? String(attempt.status);
    counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  }, {});

/**
 * While the load runs, a prober asks /health/ready every 200 ms and two writers make acknowledged
 * writes (new evidence links; saves of one answer); the private PostgreSQL is then stopped with a fast
 * shutdown, left down for `downSeconds` and started again, and everything goes on until the service
 * has recovered and stayed so for a while.
 */
export async function runOutage(server: BenchServer, cluster: PrivateCluster, workspace: Workspace, groups: RouteGroup[], downSeconds: number): Promise<OutageReport> {
  const port = server.port;
  const pid = server.pid;
  const api = { Authorization: `Bearer ${workspace.token}`, Accept: 'application/json' };
  const evidenceWrites: Array<Attempt & { title: string; id?: string }> = [];
  const answerWrites: Array<Attempt & { index: number; version?: number }> = [];

  const load = new Load(port, groups, downSeconds + RECOVERY_LIMIT_S + 30);
  const prober = new Prober(port);
  // In the order they were answered.
  const probes = prober.probes;
  const evidenceWriter = new Loop(async () => {
    const title = `Outage write ${evidenceWrites.length + 1}`;
    const attempt = await send(port, 'POST', `${workspace.base}/evidence`, api, { kind: 'link', title, url: `https://example.org/outage/${evidenceWrites.length + 1}` });
    evidenceWrites.push({ ...attempt, title, id: attempt.status === 201 ? attempt.json?.id : undefined });
  }, 20);
  const answer = workspace.answers.find((candidate) => candidate.evidenceRequired)!;
  const answerPath = `${workspace.base}/assessments/${workspace.assessmentId}/answers/${answer.requirementKey}`;
  let version = answer.version;
  const answerWriter = new Loop(async () => {
    const index = answerWrites.length + 1;
    const attempt = await send(port, 'PUT', answerPath, api, { claim: 'met', statement: `Outage save ${index}`, evidenceIds: [workspace.evidenceIds[0]], version });
    answerWrites.push({ ...attempt, index, version: attempt.status === 200 ? attempt.json?.version : undefined });
    if (attempt.status === 200) version = attempt.json.version;
    if (attempt.status === 409) {
      // A save that failed to answer may still have committed: carry on from what is stored.
      const current = await send(port, 'GET', `${workspace.base}/assessments/${workspace.assessmentId}`, api);
      const stored = current.json?.answers?.find((candidate: { requirementKey: string }) => candidate.requirementKey === answer.requirementKey);
      if (stored) version = stored.version;
    }
  }, 20);

  let timeline: OutageReport['timeline'] | undefined;
  let stopIssued = 0;
  let outageEnd = Infinity;
  try {
    await sleep(2_000);
    stopIssued = Date.now();
    await cluster.stop();
    const stopped = Date.now();
    process.stderr.write(`  … PostgreSQL stopped (fast) in ${stopped - stopIssued} ms; down for ${downSeconds} s\n`);
    await sleep(downSeconds * 1000);
    const startIssued = Date.now();
    await cluster.start();
    const started = Date.now();
    process.stderr.write(`  … PostgreSQL started again in ${started - startIssued} ms\n`);

    const firstAfterStart = (attempts: Attempt[], good: (attempt: Attempt) => boolean) => attempts.find((attempt) => attempt.sentAt >= started && good(attempt))?.at;
    const firstProbe = () => firstAfterStart(probes, (attempt) => attempt.status === 200);
    const firstRead = () => {
      let first: number | undefined;
      for (const outcomes of load.outcomes.values()) {
        for (const outcome of outcomes) if (outcome.at >= started && isGood(outcome.status) && (first === undefined || outcome.at < first)) first = outcome.at;
      }
      return first;
    };
    const firstWrites = () => {
      const both = [firstAfterStart(evidenceWrites, (attempt) => attempt.status === 201), firstAfterStart(answerWrites, (attempt) => attempt.status === 200)];
      return both.every((at) => at !== undefined) ? Math.max(...(both as number[])) : undefined;
    };
    const until = started + RECOVERY_LIMIT_S * 1000;
    while (Date.now() < until && !(firstProbe() && firstRead() && firstWrites())) await sleep(100);
    outageEnd = Math.max(firstProbe() ?? Infinity, firstRead() ?? Infinity, firstWrites() ?? Infinity) + SETTLE_MS;
    await sleep(TAIL_MS);
    const relative = (at: number | undefined) => (at === undefined ? undefined : at - stopIssued);
    timeline = {
      stopped: stopped - stopIssued,
      startIssued: startIssued - stopIssued,
      started: started - stopIssued,
      first503: relative(probes.find((attempt) => attempt.sentAt >= stopIssued && attempt.status === 503)?.at),
      first200AfterStart: relative(firstProbe()),
      firstReadAfterStart: relative(firstRead()),
      firstWritesAfterStart: relative(firstWrites()),
      healthyWhileDown: probes.filter((attempt) => attempt.sentAt >= stopped && attempt.at <= startIssued && attempt.status === 200).length,
    };
  } finally {
    await Promise.all([prober.stop(), evidenceWriter.stop(), answerWriter.stop()]);
    load.stop();
  }
  const loadFigures = await load.figures();
  // Failed outside the outage: answered before the stop began, or sent once recovery had settled.
  const outside = (attempt: { at: number; sentAt: number }) => attempt.at < stopIssued || attempt.sentAt > outageEnd;

  const failed = [...load.outcomes.values()].flat().filter((outcome) => !isGood(outcome.status));

  const acknowledged = evidenceWrites.filter((attempt) => attempt.id);
  const ids = acknowledged.map((attempt) => attempt.id!);
  const stored = await sql<{ id: string; title: string }>(server.databaseUrl!, `SELECT id, title FROM evidence WHERE organization_id = $1 AND title LIKE 'Outage write %'`, [workspace.providerId]);
  const storedIds = new Set(stored.map((row) => row.id));
  const acknowledgedTitles = new Set(acknowledged.map((attempt) => attempt.title));

  const answerAcks = answerWrites.filter((attempt) => attempt.status === 200);
  const [answerRow] = await sql<{ statement: string; version: number }>(
    server.databaseUrl!,
    `SELECT statement, version FROM answers WHERE assessment_id = $1 AND requirement_key = $2`,
    [workspace.assessmentId, answer.requirementKey],
  );
  const storedIndex = Number(/^Outage save (\d+)$/.exec(answerRow?.statement ?? '')?.[1] ?? NaN);
  const lastAck = answerAcks[answerAcks.length - 1];
  // Later phases save this answer again, on the version now stored.
  if (answerRow) answer.version = answerRow.version;

  return {
    timeline: timeline!,
    probes: prober.summary(),
    evidence: {
      attempted: evidenceWrites.length,
      acknowledged: acknowledged.length,
      found: ids.filter((id) => storedIds.has(id)).length,
      missing: ids.filter((id) => !storedIds.has(id)),
      unacknowledgedButStored: stored.filter((row) => !acknowledgedTitles.has(row.title)).length,
      failures: tally(evidenceWrites.filter((attempt) => attempt.status !== 201)),
    },
    answer: {
      attempted: answerWrites.length,
      acknowledged: answerAcks.length,
      lastAcknowledged: lastAck ? { index: lastAck.index, version: lastAck.version! } : undefined,
      stored: answerRow ? { index: storedIndex, version: answerRow.version } : undefined,
      failures: tally(answerWrites.filter((attempt) => attempt.status !== 200)),
    },
    load: loadFigures,
    loadFailuresOutside: failed.filter(outside).length,
    loadFailuresDuring: failed.filter((outcome) => !outside(outcome)).length,
    writeFailuresOutside: [...evidenceWrites.filter((attempt) => attempt.status !== 201), ...answerWrites.filter((attempt) => attempt.status !== 200 && attempt.status !== 409)].filter(outside).length,
    samePid: server.pid === pid && isAlive(pid),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
