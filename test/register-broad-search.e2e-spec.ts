import request from 'supertest';
import { seedStatements } from './bench/register-seed';
import { CODE, OPERATOR_ENV, VERSION } from './support/assessment-fixtures';
import { textOf } from './support/html';
import { createTestApp, TestApp } from './support/test-app';

/** A search that matches more entries than can be ranked: 1,200 entries, every one verified by the same body. */
describe('a search too broad to rank', () => {
  let t: TestApp;
  const ENTRIES = 1_200;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    const [code] = await t.sql<{ code_id: string; version_id: string; title: string }>(
      `SELECT c.id AS code_id, v.id AS version_id, v.title FROM codes c JOIN code_versions v ON v.code_id = c.id WHERE c.slug = $1 AND v.version = $2`,
      [CODE, VERSION],
    );
    const [body] = await t.sql<{ id: string }>(`INSERT INTO organizations (kind, slug, name) VALUES ('monitoring_body', 'broad-monitor', 'Broad Monitor') RETURNING id`);
    const [proposer, approver] = await t.sql<{ id: string }>(
      `INSERT INTO users (email, name, password_hash) VALUES ('proposer@example.org', 'Proposer', 'x'), ('approver@example.org', 'Approver', 'x') RETURNING id`,
    );
    const context = { codeId: code.code_id, codeSlug: CODE, codeTitle: code.title, codeVersionId: code.version_id, monitoringBodyId: body.id, monitoringBodyName: 'Broad Monitor', proposerId: proposer.id, approverId: approver.id };
    for (const statement of seedStatements(0, ENTRIES, context)) await t.sql(statement);
  }, 120_000);
  afterAll(() => t.close());

  it('counts up to 1,000, says so, and lists the newest decisions first', async () => {
    const body = (await request(t.server).get('/api/v1/register?q=broad%20monitor&limit=100').expect(200)).body;
    expect(body).toMatchObject({ total: 1000, totalExact: false, sort: 'decided' });
    const decided = body.entries.map((entry: { decidedAt: string }) => entry.decidedAt);
    expect(decided).toEqual([...decided].sort().reverse());
    const page = textOf((await request(t.server).get('/register?q=broad%20monitor').expect(200)).text);
    expect(page).toContain('Showing 1–20 of more than 1000 entries.');
    expect(page).toContain('So many entries match that they are listed by latest decision');
  });

  it('still ranks a narrower search, and counts it exactly', async () => {
    const body = (await request(t.server).get('/api/v1/register?q=grooming').expect(200)).body;
    expect(body.totalExact).toBe(true);
    expect(body.sort).toBe('relevance');
    expect(body.total).toBeGreaterThan(0);
    expect(body.total).toBeLessThan(1000);
  });

  it('walks a broad search with its cursor, each entry once, up to the end of the matches', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const body: { entries: Array<{ id: string }>; nextCursor: string | null } = (await request(t.server).get(`/api/v1/register?q=broad%20monitor&limit=100${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body;
      for (const entry of body.entries) seen.add(entry.id);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(ENTRIES);
  });

  it('counts the whole register exactly when nothing is filtered', async () => {
    expect((await request(t.server).get('/api/v1/register?limit=1').expect(200)).body).toMatchObject({ total: ENTRIES, totalExact: true });
  });
});
