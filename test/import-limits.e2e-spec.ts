import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { accredit, type AssessmentBody, asCaller, call, createService, OPERATOR_ENV, orgPath, startAssessment } from './support/assessment-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';

const HEADER = 'requirement_key,claim,statement,justification,evidence_ids,version';
const MiB = 1024 * 1024;

/**
 * What an answers import may hold in memory beyond the file itself, at its highest while a 100,000-row
 * file of rejected rows is imported, measured in this process, where the application runs: the live
 * JavaScript heap (sampled right after a full collection, so that garbage waiting for the collector does
 * not count), and the resident set. Listing every rejected row raised the resident set by about 140 MiB.
 */
const MEMORY_BUDGET = { heap: 16 * MiB, rss: 64 * MiB };
/** How often the live heap is sampled: each sample is a full collection. */
const SAMPLE_MS = 100;

/** A full garbage collection, which Node offers once the flag is set. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The highest live heap and resident set seen while `work` runs, above what they were when it started. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; heap: number; rss: number }> {
  const collect = collector();
  const live = () => {
    collect();
    return { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage.rss() };
  };
  const start = live();
  const peak = { ...start };
  const sample = () => {
    const now = live();
    peak.heap = Math.max(peak.heap, now.heap);
    peak.rss = Math.max(peak.rss, now.rss);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  try {
    const result = await work();
    sample();
    return { result, heap: peak.heap - start.heap, rss: peak.rss - start.rss };
  } finally {
    clearInterval(timer);
  }
}

describe('limits of an answers import', () => {
  let t: TestApp;
  let owner: Actor;
  let assessment: AssessmentBody;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    owner = await t.signUp({ organization: 'Bulk Importer' });
    const monitor = await t.signUp({ organization: 'Bulk Monitor', kind: 'monitoring_body' });
    await accredit(t, monitor);
    const service = await createService(t, asCaller(owner), owner.organization.slug);
    assessment = await startAssessment(t, asCaller(owner), owner.organization.slug, { serviceId: service.id, monitoringBody: monitor.organization.slug });
  }, 120_000);
  afterAll(() => t?.close());

  const keys = () => assessment.answers.map((answer) => answer.requirementKey);
  const importCsv = (csv: string) => call(t, asCaller(owner), 'post', `${orgPath(owner.organization.slug)}/assessments/${assessment.id}/import`).set('Content-Type', 'text/csv').send(csv);
  const versions = () => t.sql<{ requirement_key: string; version: number }>('SELECT requirement_key, version FROM answers WHERE assessment_id = $1 ORDER BY requirement_key', [assessment.id]);

  it('refuses a file naming 70,000 evidence ids with a 4xx that names the limit, before looking any up', async () => {
    const before = await versions();
    const rows = Array.from({ length: 1_400 }, (_, n) => `${keys()[n % keys().length]},met,Linked,,${Array.from({ length: 50 }, () => randomUUID()).join(' ')},1`);
    const csv = [HEADER, ...rows].join('\n');
    expect(csv.length).toBeGreaterThan(2_500_000);

    const response = await importCsv(csv);
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('at most 10,000 evidence ids');
    expect(await versions()).toEqual(before);
  }, 120_000);

  it('refuses one row naming 70,000 evidence ids the same way', async () => {
    const csv = `${HEADER}\n${keys()[0]},met,Linked,,${Array.from({ length: 70_000 }, () => randomUUID()).join(' ')},1\n`;
    const response = await importCsv(csv);
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('at most 10,000 evidence ids');
  }, 120_000);

  it(`reports the first 1,000 of 100,000 rejected rows and their counts, within ${MEMORY_BUDGET.heap / MiB} MiB of heap and ${MEMORY_BUDGET.rss / MiB} MiB of resident memory`, async () => {
    const known = keys();
    // Every row is rejected: each answer's first row has no valid claim, the later rows repeat keys or name none of this assessment.
    const rows = Array.from({ length: 100_000 }, (_, n) => (n < known.length ? `${known[n]},bogus,,,,1` : n % 2 ? `${known[n % known.length]},met,,,,1` : `NOPE-${n},met,,,,1`));
    const csv = [HEADER, ...rows].join('\n');
    const before = await versions();

    const { result: response, heap, rss } = await peakGrowth(() => importCsv(csv));
    process.stdout.write(`import of 100,000 rejected rows (${(csv.length / MiB).toFixed(1)} MiB): live heap +${(heap / MiB).toFixed(1)} MiB, RSS +${(rss / MiB).toFixed(1)} MiB at most\n`);

    expect(response.status).toBe(200);
    expect(response.body.counts).toEqual({ applied: 0, unchanged: 0, rejected: 100_000 });
    expect(response.body.rejected).toHaveLength(1_000);
    expect(response.body.rejected.map((rejection: { row: number }) => rejection.row)).toEqual(Array.from({ length: 1_000 }, (_, n) => n + 2));
    expect(response.body.rejected[0].problems).toEqual([expect.stringContaining('claim')]);
    const problems = response.body.rejected.map((rejection: { problems: string[] }) => rejection.problems.join('; '));
    expect(problems.filter((problem: string) => problem.includes('appears more than once')).length).toBeGreaterThan(100);
    expect(problems.filter((problem: string) => problem.includes('is not a requirement of this assessment')).length).toBeGreaterThan(100);
    expect(heap).toBeLessThan(MEMORY_BUDGET.heap);
    expect(rss).toBeLessThan(MEMORY_BUDGET.rss);
    expect(await versions()).toEqual(before);
  }, 180_000);
});
