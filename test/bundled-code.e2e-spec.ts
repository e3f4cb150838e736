import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUNDLED_CODES_DIRECTORY, BundledCodesLoader } from '../src/codes/bundled-codes.loader';
import { CodesService } from '../src/codes/codes.service';
import { parseCodeDocument } from '../src/codes/document/parse-code-document';
import { TransactionHost } from '../src/database/transaction-host';
import { createTestApp, TestApp } from './support/test-app';

const SLUG = 'csea-detection-tools';
const SOURCE = readFileSync(join(BUNDLED_CODES_DIRECTORY, `${SLUG}-1.0.0.yaml`), 'utf8');
const GREEN_100 = readFileSync(join(__dirname, 'fixtures', 'codes', 'green-hosting-1.0.0.yaml'), 'utf8');

interface VersionRow {
  id: string;
  version: string;
  status: string;
  content_hash: string;
  source: string;
  published_at: Date | null;
  published_by: string | null;
  imported_by: string | null;
}

/** The bundled code is published at start-up, once, however often and by however many instances the loader runs. */
describe('the bundled code', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const versions = (slug: string) =>
    t.sql<VersionRow>(
      `SELECT v.id, v.version, v.status, v.content_hash, v.source, v.published_at, v.published_by, v.imported_by
         FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = $1`,
      [slug],
    );
  const counts = async () =>
    (
      await t.sql<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM codes) AS codes,
                (SELECT count(*)::int FROM code_versions) AS versions,
                (SELECT count(*)::int FROM code_sections) AS sections,
                (SELECT count(*)::int FROM code_requirements) AS requirements,
                (SELECT count(*)::int FROM audit_events) AS audit`,
      )
    )[0];
  const events = (slug: string) =>
    t.sql<{ action: string; organization_id: string | null; actor_user_id: string | null }>(
      `SELECT action, organization_id, actor_user_id FROM audit_events WHERE data->>'code' = $1 OR target_id IN (
         SELECT v.id::text FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = $1) ORDER BY id`,
      [slug],
    );

  it('is published at start-up as exactly one version, with its content hash recorded', async () => {
    const rows = await versions(SLUG);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ version: '1.0.0', status: 'published', published_by: null, imported_by: null, source: SOURCE });
    expect(row.published_at).not.toBeNull();
    const parsed = parseCodeDocument(SOURCE);
    if (!parsed.valid) throw new Error('the bundled code does not validate');
    expect(row.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.content_hash).toBe(parsed.contentHash);
    expect(await events(SLUG)).toEqual([
      { action: 'code.imported', organization_id: null, actor_user_id: null },
      { action: 'code.published', organization_id: null, actor_user_id: null },
    ]);
  });

  it('stores every section and requirement of its YAML', async () => {
    const yaml = parse(SOURCE) as { sections: Array<{ key: string; requirements: Array<{ key: string }> }> };
    const [row] = await versions(SLUG);
    const sections = await t.sql<{ key: string }>(`SELECT key FROM code_sections WHERE code_version_id = $1 ORDER BY position`, [row.id]);
    const requirements = await t.sql<{ key: string }>(`SELECT key FROM code_requirements WHERE code_version_id = $1 ORDER BY position`, [row.id]);
    expect(sections.map((section) => section.key)).toEqual(yaml.sections.map((section) => section.key));
    expect(requirements.map((requirement) => requirement.key)).toEqual(yaml.sections.flatMap((section) => section.requirements.map((requirement) => requirement.key)));
    expect(requirements.length).toBeGreaterThanOrEqual(45);
  });

  it('changes nothing when the loader runs again', async () => {
    const [before] = await versions(SLUG);
    const countsBefore = await counts();
    await t.app.get(BundledCodesLoader).onApplicationBootstrap();
    expect(await versions(SLUG)).toEqual([before]);
    expect(await counts()).toEqual(countsBefore);
  });

  it('changes nothing when two instances run the loader at the same time', async () => {
    const [before] = await versions(SLUG);
    const countsBefore = await counts();
    const loader = t.app.get(BundledCodesLoader);
    await Promise.all([loader.onApplicationBootstrap(), loader.onApplicationBootstrap()]);
    expect(await versions(SLUG)).toEqual([before]);
    expect(await counts()).toEqual(countsBefore);
    expect(await events(SLUG)).toHaveLength(2);
  });

  it('imports a new code once when two instances import and publish it at the same time', async () => {
    // What the loader does for each bundled file, with a code the database does not hold yet.
    const host = t.app.get(TransactionHost);
    const codes = t.app.get(CodesService);
    const countsBefore = await counts();
    const results = await Promise.all([1, 2].map(() => host.runScoped({}, () => codes.import(GREEN_100, { publish: true }))));
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(results[0].version.id).toBe(results[1].version.id);
    const rows = await versions('green-hosting');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'published', source: GREEN_100 });
    expect(await counts()).toEqual({
      ...countsBefore,
      codes: countsBefore.codes + 1,
      versions: countsBefore.versions + 1,
      sections: countsBefore.sections + 2,
      requirements: countsBefore.requirements + 5,
      audit: countsBefore.audit + 2,
    });
    expect((await events('green-hosting')).map((event) => event.action)).toEqual(['code.imported', 'code.published']);
  });
});
