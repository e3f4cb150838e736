import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUNDLED_CODES_DIRECTORY, BundledCodesLoader } from '../src/codes/bundled-codes.loader';
import { CodeImport } from '../src/codes/code-import';
import { CodesService } from '../src/codes/codes.service';
import { parseCodeDocument } from '../src/codes/document/parse-code-document';
import { TransactionHost } from '../src/database/transaction-host';
import { createTestApp, TestApp } from './support/test-app';

const SLUG = 'csea-detection-tools';
const VERSIONS = ['1.0.0', '1.1.0'];
const SOURCES = Object.fromEntries(VERSIONS.map((version) => [version, readFileSync(join(BUNDLED_CODES_DIRECTORY, `${SLUG}-${version}.yaml`), 'utf8')]));
const GREEN_100 = readFileSync(join(__dirname, 'fixtures', 'codes', 'green-hosting-1.0.0.yaml'), 'utf8');

interface VersionRow {
  id: string;
  version: string;
  status: string;
  content_hash: string;
  source: string;
  changelog: unknown;
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
      `SELECT v.id, v.version, v.status, v.content_hash, v.source, v.changelog, v.published_at, v.published_by, v.imported_by
         FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = $1 ORDER BY v.imported_at, v.version`,
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
    t.sql<{ action: string; organization_id: string | null; actor_user_id: string | null; version: string }>(
      `SELECT action, organization_id, actor_user_id, data->>'version' AS version FROM audit_events WHERE data->>'code' = $1 OR target_id IN (
         SELECT v.id::text FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = $1) ORDER BY id`,
      [slug],
    );

  it('is published at start-up as its two versions, oldest first, each with its content hash', async () => {
    const rows = await versions(SLUG);
    expect(rows.map((row) => row.version)).toEqual(VERSIONS);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'published', published_by: null, imported_by: null, source: SOURCES[row.version] });
      expect(row.published_at).not.toBeNull();
      const parsed = parseCodeDocument(SOURCES[row.version]);
      if (!parsed.valid) throw new Error(`the bundled code ${row.version} does not validate`);
      expect(row.content_hash).toBe(parsed.contentHash);
      expect(row.changelog).toEqual(parsed.document.changelog ?? null);
    }
    // 1.0.0 is exactly what was published before 1.1.0 existed.
    expect(rows[0].content_hash).toBe('a32a3f262e0f284ba5c93a95f42989ad55a85e493bd002ca82d4ce465e7d2584');
    expect(rows[1].changelog).toMatchObject({ from: '1.0.0', changes: expect.arrayContaining([expect.objectContaining({ change: 'added', keys: ['OVS-07'] })]) });
    expect(await events(SLUG)).toEqual([
      { action: 'code.imported', organization_id: null, actor_user_id: null, version: '1.0.0' },
      { action: 'code.published', organization_id: null, actor_user_id: null, version: '1.0.0' },
      { action: 'code.imported', organization_id: null, actor_user_id: null, version: '1.1.0' },
      { action: 'code.published', organization_id: null, actor_user_id: null, version: '1.1.0' },
    ]);
  });

  it('stores every section and requirement of each version', async () => {
    for (const row of await versions(SLUG)) {
      const yaml = parse(SOURCES[row.version]) as { sections: Array<{ key: string; requirements: Array<{ key: string }> }> };
      const sections = await t.sql<{ key: string }>(`SELECT key FROM code_sections WHERE code_version_id = $1 ORDER BY position`, [row.id]);
      const requirements = await t.sql<{ key: string }>(`SELECT key FROM code_requirements WHERE code_version_id = $1 ORDER BY position`, [row.id]);
      expect(sections.map((section) => section.key)).toEqual(yaml.sections.map((section) => section.key));
      expect(requirements.map((requirement) => requirement.key)).toEqual(yaml.sections.flatMap((section) => section.requirements.map((requirement) => requirement.key)));
      expect(requirements.length).toBeGreaterThanOrEqual(45);
    }
  });

  it('offers the newer version as the current one, and compares the two as the changelog says', async () => {
    const codes = t.app.get(CodesService);
    const host = t.app.get(TransactionHost);
    const { current, versions: listed } = await host.runScoped({}, () => codes.code(SLUG));
    expect(current.version).toBe('1.1.0');
    expect(listed.map((version) => version.version)).toEqual(['1.1.0', '1.0.0']);
    const diff = await host.runScoped({}, () => codes.diff(SLUG));
    expect(diff).toMatchObject({ from: '1.0.0', to: '1.1.0', removed: [] });
    expect(diff.added.map((entry) => entry.key).sort()).toEqual(['LAW-09', 'OVS-07', 'SBD-08', 'SBD-09']);
  });

  it('changes nothing when the loader runs again', async () => {
    const before = await versions(SLUG);
    const countsBefore = await counts();
    await t.app.get(BundledCodesLoader).onApplicationBootstrap();
    expect(await versions(SLUG)).toEqual(before);
    expect(await counts()).toEqual(countsBefore);
  });

  it('changes nothing when two instances run the loader at the same time', async () => {
    const before = await versions(SLUG);
    const countsBefore = await counts();
    const loader = t.app.get(BundledCodesLoader);
    await Promise.all([loader.onApplicationBootstrap(), loader.onApplicationBootstrap()]);
    expect(await versions(SLUG)).toEqual(before);
    expect(await counts()).toEqual(countsBefore);
    expect(await events(SLUG)).toHaveLength(4);
  });

  it('imports a new code once when two instances import and publish it at the same time', async () => {
    // What the loader does for each bundled file, with a code the database does not hold yet.
    const host = t.app.get(TransactionHost);
    const codes = t.app.get(CodeImport);
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
