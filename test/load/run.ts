/**
 * Load and faults: the built server on a private PostgreSQL 15 cluster, under load, through a
 * database outage and through SIGKILLs in the middle of an upload and of submissions. Prints figures
 * and a summary of checks; exits 1 if any correctness check failed. Asserts nothing about speed.
 * See README.md in this folder.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { prepareRegister, seed } from '../bench/register-figures';
import { BenchServer, projectRoot } from '../bench/server';
import { ms } from '../bench/stats';
import { type Check, runKills, type KillReport } from './kills';
import { isGood, Load, registerGroup, workspaceGroup, type GroupFigure, type RouteGroup } from './load';
import { Prober, RECOVERY_LIMIT_S, runOutage, type OutageReport, type ProbeSummary } from './outage';
import { PrivateCluster } from './private-cluster';
import { seedWorkspace, type Workspace } from './workspace';

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS || 60);
const REGISTER_ENTRIES = Number(process.env.LOAD_REGISTER_ENTRIES || 5_000);
const OUTAGE_SECONDS = Number(process.env.LOAD_OUTAGE_SECONDS || 4);
const KILL_ROUNDS = Number(process.env.LOAD_KILL_ROUNDS || 4);
/** 100 connections in all, most of them on the public register, as on a live service. */
const REGISTER_CONNECTIONS = 70;
const WORKSPACE_CONNECTIONS = 30;
const WARM_UP_SECONDS = 3;

const log = (line: string) => process.stderr.write(`  … ${line}\n`);

/** Stops every server and cluster this run started and removes their folders; safe to call twice. */
async function cleanUp(): Promise<void> {
  for (const server of [...BenchServer.running]) {
    try {
      await server.stop();
    } catch {
      // Its database goes with the cluster anyway.
    }
  }
  for (const cluster of [...PrivateCluster.existing]) cluster.destroy();
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the server and the private PostgreSQL…\n`);
    void cleanUp().finally(() => process.exit(code));
  });
}

/** Every route of the load once, before it starts: a route that fails alone should say so plainly. */
async function tryEachRoute(port: number, groups: RouteGroup[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const group of groups) {
    for (const request of group.requests) {
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`, { headers: (request.headers ?? {}) as Record<string, string>, redirect: 'manual' });
      const text = await response.text();
      if (!isGood(response.status)) checks.push({ name: `GET ${request.path} before the load`, ok: false, detail: `${response.status}: ${text.slice(0, 200)}` });
    }
  }
  return checks;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' │ ').trimEnd();
  return [line(rows[0]), widths.map((width) => '─'.repeat(width)).join('─┼─'), ...rows.slice(1).map(line)].join('\n');
}

const count = (counts: Record<string, number>) => Object.entries(counts).map(([key, value]) => `${key}×${value}`).join(', ') || 'none';

function loadTable(figures: GroupFigure[]): string {
  return table([
    ['Route group', 'conn.', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'not 2xx/304', 'errors (timeouts)'],
    ...figures.map((figure) => [
      figure.name,
      String(figure.connections),
      String(figure.requests),
      figure.requestsPerSecond.toFixed(0),
      ms(figure.p50),
      ms(figure.p99),
      ms(figure.max),
      count(figure.badStatuses),
      `${figure.errors} (${figure.timeouts})`,
    ]),
  ]);
}

const seconds = (milliseconds: number | undefined) => (milliseconds === undefined ? 'never' : `${(milliseconds / 1000).toFixed(2)} s`);

function loadChecks(figures: GroupFigure[]): Check[] {
  return figures
    .filter((figure) => figure.name !== 'all')
    .map((figure) => ({
      name: `load, ${figure.name}: no error`,
      ok: figure.requests > 0 && figure.errors === 0 && Object.keys(figure.badStatuses).length === 0,
      detail: `${figure.requests} requests, not 2xx/304: ${count(figure.badStatuses)}, socket errors and timeouts: ${figure.errors}`,
    }));
}

function outageChecks(outage: OutageReport): Check[] {
  const { timeline, evidence, answer } = outage;
  const clean = (failures: Record<string, number>, allowed: RegExp) => Object.keys(failures).every((key) => allowed.test(key));
  const backWithin = (at: number | undefined) => at !== undefined && at - timeline.started <= RECOVERY_LIMIT_S * 1000;
  const answerKept =
    !answer.lastAcknowledged ||
    (answer.stored !== undefined &&
      answer.stored.index >= answer.lastAcknowledged.index &&
      answer.stored.version >= answer.lastAcknowledged.version &&
      (answer.stored.index !== answer.lastAcknowledged.index || answer.stored.version === answer.lastAcknowledged.version));
  return [
    { name: '/health/ready answered 503 while the database was down', ok: timeline.first503 !== undefined && timeline.first503 < timeline.startIssued, detail: `first 503 at ${seconds(timeline.first503)}` },
    { name: '/health/ready never answered 200 while the database was down', ok: timeline.healthyWhileDown === 0, detail: `${timeline.healthyWhileDown} such probe(s)` },
    { name: `/health/ready answered 200 within ${RECOVERY_LIMIT_S} s of the start`, ok: backWithin(timeline.first200AfterStart), detail: `at ${seconds(timeline.first200AfterStart)}` },
    { name: 'every probe was answered (no hang)', ok: !('timeout' in outage.probes.byStatus) && Object.keys(outage.probes.byStatus).every((status) => status === '200' || status === '503'), detail: `${count(outage.probes.byStatus)}; slowest ${outage.probes.maxMs} ms` },
    { name: 'the same server process, never restarted', ok: outage.samePid, detail: outage.samePid ? 'same pid, alive' : 'the process changed or died' },
    { name: `reads and writes served again within ${RECOVERY_LIMIT_S} s of the start`, ok: backWithin(timeline.firstReadAfterStart) && backWithin(timeline.firstWritesAfterStart), detail: `first read at ${seconds(timeline.firstReadAfterStart)}, writes at ${seconds(timeline.firstWritesAfterStart)}` },
    { name: 'every acknowledged evidence write is in the database', ok: evidence.missing.length === 0 && evidence.found === evidence.acknowledged, detail: `${evidence.found} of ${evidence.acknowledged} found${evidence.missing.length ? `; missing ${evidence.missing.join(', ')}` : ''}` },
    { name: 'the last acknowledged answer save is what is stored (or a later one)', ok: answerKept, detail: `last acknowledged save ${answer.lastAcknowledged?.index ?? '-'} (v${answer.lastAcknowledged?.version ?? '-'}), stored save ${answer.stored?.index ?? '-'} (v${answer.stored?.version ?? '-'})` },
    { name: 'failed writes said the database was unavailable (503; 409 for a save after an unacknowledged one)', ok: clean(evidence.failures, /^503$/) && clean(answer.failures, /^(503|409)$/), detail: `evidence: ${count(evidence.failures)}; answer: ${count(answer.failures)}` },
    {
      name: 'load requests that failed during the outage said the database was unavailable (503)',
      ok: outage.load.every((group) => clean(group.badStatuses, /^503$/)),
      detail: outage.load.map((group) => `${group.name}: ${count(group.badStatuses)}`).join('; '),
    },
    { name: 'no write failed outside the outage', ok: outage.writeFailuresOutside === 0, detail: `${outage.writeFailuresOutside}` },
    { name: 'no load request failed outside the outage', ok: outage.loadFailuresOutside === 0, detail: `${outage.loadFailuresOutside} outside, ${outage.loadFailuresDuring} during` },
  ];
}

function printSummary(header: string[], load: GroupFigure[] | undefined, readiness: ProbeSummary | undefined, outage: OutageReport | undefined, kills: KillReport | undefined, checks: Check[]): void {
  const out: string[] = ['', ...header, ''];
  if (load) out.push(`1. Load: ${LOAD_SECONDS} s (after ${WARM_UP_SECONDS} s of warm-up) at ${REGISTER_CONNECTIONS + WORKSPACE_CONNECTIONS} connections`, '', loadTable(load), '');
  if (readiness) out.push(`   /health/ready meanwhile, every 200 ms (not a check): ${count(readiness.byStatus)}; slowest ${readiness.maxMs} ms`, '');
  if (outage) {
    const { timeline: t } = outage;
    out.push(
      `2. Outage: PostgreSQL stopped (pg_ctl stop -m fast) under load, down ${OUTAGE_SECONDS} s, started again; times from the stop command`,
      '',
      `   stop complete ${seconds(t.stopped)} · first 503 from /health/ready ${seconds(t.first503)} · start issued ${seconds(t.startIssued)} · PostgreSQL accepting ${seconds(t.started)}`,
      `   first 200 from /health/ready ${seconds(t.first200AfterStart)} · first good read ${seconds(t.firstReadAfterStart)} · both writers acknowledged ${seconds(t.firstWritesAfterStart)}`,
      `   recovery after PostgreSQL was back: ready in ${seconds(t.first200AfterStart === undefined ? undefined : t.first200AfterStart - t.started)}, writes in ${seconds(t.firstWritesAfterStart === undefined ? undefined : t.firstWritesAfterStart - t.started)}`,
      `   probes: ${outage.probes.total} (${count(outage.probes.byStatus)}), slowest ${outage.probes.maxMs} ms`,
      `   evidence links: ${outage.evidence.attempted} attempted, ${outage.evidence.acknowledged} acknowledged, ${outage.evidence.found} found in the database, ${outage.evidence.unacknowledgedButStored} stored without an acknowledgement; failures ${count(outage.evidence.failures)}`,
      `   answer saves: ${outage.answer.attempted} attempted, ${outage.answer.acknowledged} acknowledged; failures ${count(outage.answer.failures)}`,
      '',
      '   Load during the outage (failures expected between the stop and recovery):',
      '',
      loadTable(outage.load),
      '',
    );
  }
  if (kills) {
    out.push(`3. SIGKILL: an undisturbed submission (the second) took ${ms(kills.submitMs)} ms; the first kill comes at a random time within three times that after firing, each later one between the latest kill that left a draft and the earliest that left a submission`, '');
    out.push(
      table([
        ['Round', 'killed after', 'submits answered', 'small upload', 'slow upload staged', 'state after', 'restart', 'checks'],
        ...kills.rounds.map((round) => [
          round.round === 0 ? '0 (undisturbed)' : String(round.round),
          Number.isNaN(round.delayMs) ? '-' : `${round.delayMs} ms`,
          round.answered.submits.join(', '),
          round.answered.smallUpload,
          round.stagedBytes ? `${(round.stagedBytes / 1_048_576).toFixed(1)} MiB` : '-',
          round.state,
          round.restartMs ? `${(round.restartMs / 1000).toFixed(1)} s` : '-',
          `${round.checks.filter((check) => check.ok).length}/${round.checks.length}`,
        ]),
      ]),
      '',
      `   staging files left in DATA_DIR/uploads: ${kills.stagingLeftovers} (never listed; removed by a start once a day old); stored files no revision names: ${kills.unreferencedFiles}`,
      '',
    );
  }
  const failed = checks.filter((check) => !check.ok);
  out.push(`Checks: ${checks.length - failed.length} of ${checks.length} passed`, '');
  for (const check of checks) out.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name} — ${check.detail}`);
  out.push('', failed.length === 0 ? 'RESULT: all correctness checks passed' : `RESULT: ${failed.length} check(s) FAILED`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(): Promise<number> {
  const root = projectRoot();
  if (!existsSync(join(root, 'dist', 'src', 'main.js'))) throw new Error('dist/src/main.js is missing: run `npm run build` first');
  const began = performance.now();
  const checks: Check[] = [];
  let load: GroupFigure[] | undefined;
  let readiness: ProbeSummary | undefined;
  let outage: OutageReport | undefined;
  let kills: KillReport | undefined;
  let workspace: Workspace | undefined;
  const header = [
    'Adhere — load and faults',
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((value) => value.toFixed(2)).join(' ')} at the start`,
  ];
  try {
    const cluster = await PrivateCluster.create();
    log(`private PostgreSQL 15 on 127.0.0.1:${cluster.port} in ${cluster.root}`);
    const server = await BenchServer.start(root, 'server', cluster.url);
    log(`server pid ${server.pid} ready on port ${server.port} (database ${server.databaseName})`);
    header.push(`PostgreSQL 15 (private cluster on 127.0.0.1:${cluster.port}), server pid ${server.pid}, ${REGISTER_ENTRIES} register entries`);

    await seed(server, await prepareRegister(server), 0, REGISTER_ENTRIES);
    workspace = await seedWorkspace(server.port, server.databaseUrl!);
    log(`workspace seeded: ${workspace.answers.length} answered requirements, ${workspace.evidenceIds.length} evidence links`);
    const groups = [registerGroup(REGISTER_ENTRIES, REGISTER_CONNECTIONS), workspaceGroup(workspace, WORKSPACE_CONNECTIONS)];
    const routeChecks = await tryEachRoute(server.port, groups);
    checks.push(...routeChecks);
    if (routeChecks.length > 0) throw new Error('Some routes of the load fail on their own');

    log(`load: ${WARM_UP_SECONDS} s of warm-up, then ${LOAD_SECONDS} s at ${REGISTER_CONNECTIONS + WORKSPACE_CONNECTIONS} connections`);
    // Unmeasured, as the bench does: the first requests of a fresh process compile code and fill caches.
    await new Load(server.port, groups, WARM_UP_SECONDS).figures();
    // Printed, not checked: under load the readiness query waits for a pooled connection like any request, so its answer depends on speed.
    const prober = new Prober(server.port);
    load = await new Load(server.port, groups, LOAD_SECONDS).figures();
    await prober.stop();
    readiness = prober.summary();
    checks.push(...loadChecks(load));

    log(`outage: PostgreSQL down for ${OUTAGE_SECONDS} s under load`);
    outage = await runOutage(server, cluster, workspace, groups, OUTAGE_SECONDS);
    checks.push(...outageChecks(outage));

    log(`SIGKILL: ${KILL_ROUNDS} rounds`);
    kills = await runKills(server, workspace, KILL_ROUNDS);
    for (const round of kills.rounds) checks.push(...round.checks.map((check) => ({ ...check, name: `kill round ${round.round}: ${check.name}` })));
  } catch (error) {
    checks.push({ name: 'the run completed', ok: false, detail: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    workspace?.owner.close();
    workspace?.api.close();
    await cleanUp();
  }
  header.push(`run time ${((performance.now() - began) / 1000).toFixed(0)} s`);
  printSummary(header, load, readiness, outage, kills, checks);
  return checks.every((check) => check.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    void cleanUp().finally(() => process.exit(1));
  },
);
