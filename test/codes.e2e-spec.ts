import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { parse, stringify } from 'yaml';
import { APPLICATION_ROLE } from '../src/database/transaction-host';
import { BUNDLED_CODES_DIRECTORY } from '../src/codes/bundled-codes.loader';
import { Actor, createTestApp, TestApp } from './support/test-app';

const OPERATOR = { email: 'ops@example.org', password: 'operator passphrase 1' };
const BUNDLED = 'csea-detection-tools';
const BUNDLED_SOURCE = readFileSync(join(BUNDLED_CODES_DIRECTORY, `${BUNDLED}-1.0.0.yaml`), 'utf8');
const FIXTURES = join(__dirname, 'fixtures', 'codes');
const GREEN_100 = readFileSync(join(FIXTURES, 'green-hosting-1.0.0.yaml'), 'utf8');
const GREEN_110 = readFileSync(join(FIXTURES, 'green-hosting-1.1.0.yaml'), 'utf8');
const REQUIREMENT_FIELDS = ['appliesWhen', 'evidence', 'evidenceRequired', 'guidance', 'key', 'level', 'text', 'title'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A date `days` from today (UTC), as YYYY-MM-DD. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The green-hosting fixture with a line replaced; fails loudly if the line is not there. */
function edited(source: string, from: string, to: string): string {
  expect(source).toContain(from);
  return source.replace(from, to);
}

interface Session {
  agent: Actor['agent'];
  csrf: string;
}

describe('codes of conduct', () => {
  let t: TestApp;
  let operator: Session;
  let operatorId: string;
  let provider: Actor;
  let monitor: Actor;
  let writeToken: string;

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password });
    operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    [{ id: operatorId }] = await t.sql<{ id: string }>('SELECT id FROM users WHERE email = $1', [OPERATOR.email]);
    provider = await t.signUp({ organization: 'Codes Provider' });
    monitor = await t.signUp({ organization: 'Codes Monitor', kind: 'monitoring_body' });
    const token = await provider.agent
      .post(`/api/v1/orgs/${provider.organization.slug}/tokens`)
      .set('X-CSRF-Token', provider.csrf)
      .send({ name: 'writer', scopes: ['write'] })
      .expect(201);
    writeToken = token.body.token;
  });
  afterAll(() => t.close());

  const importCode = (source: string, as: Session = operator) =>
    as.agent.post('/api/v1/codes').set('X-CSRF-Token', as.csrf).set('Content-Type', 'application/yaml').send(source);
  const validateCode = (source: string, as: Session = operator) =>
    as.agent.post('/api/v1/codes/validate').set('X-CSRF-Token', as.csrf).set('Content-Type', 'application/yaml').send(source);
  const transition = (slug: string, version: string, to: 'publish' | 'retire', as: Session = operator) =>
    as.agent.post(`/api/v1/codes/${slug}/versions/${version}/${to}`).set('X-CSRF-Token', as.csrf).send({});
  const accredit = (body: Record<string, unknown>, slug = BUNDLED, as: Session = operator) =>
    as.agent.post(`/api/v1/codes/${slug}/accreditations`).set('X-CSRF-Token', as.csrf).send(body);
  const endAccreditation = (id: string, reason: string, slug = BUNDLED, as: Session = operator) =>
    as.agent.post(`/api/v1/codes/${slug}/accreditations/${id}/end`).set('X-CSRF-Token', as.csrf).send({ reason });
  const anonymous = () => request(t.server);

  /** Row counts of everything an import, publication or accreditation could write. */
  const counts = async () =>
    (
      await t.sql<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM codes) AS codes,
                (SELECT count(*)::int FROM code_versions) AS versions,
                (SELECT count(*)::int FROM code_sections) AS sections,
                (SELECT count(*)::int FROM code_requirements) AS requirements,
                (SELECT count(*)::int FROM accreditations) AS accreditations,
                (SELECT count(*)::int FROM audit_events) AS audit`,
      )
    )[0];
  const versionRow = async (slug: string, version: string) =>
    (
      await t.sql<{ id: string; status: string; title: string; content_hash: string; source: string; published_at: Date | null; retired_at: Date | null }>(
        `SELECT v.id, v.status, v.title, v.content_hash, v.source, v.published_at, v.retired_at
           FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = $1 AND v.version = $2`,
        [slug, version],
      )
    )[0];
  const versionCount = async (slug: string) =>
    (await t.sql<{ count: number }>(`SELECT count(*)::int AS count FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = $1`, [slug]))[0].count;

  /** Runs `sql` as the application role, as a request does; codes are platform data, so no organization is set. */
  function asApplication(sql: string, params: unknown[] = []): Promise<unknown> {
    return t.app.get(DataSource).transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APPLICATION_ROLE}`);
      return manager.query(sql, params);
    });
  }

  describe('the bundled code, read by anyone', () => {
    it('is listed as published with its versions', async () => {
      const response = await anonymous().get('/api/v1/codes').expect(200);
      const bundled = response.body.find((code: { slug: string }) => code.slug === BUNDLED);
      expect(bundled).toMatchObject({
        slug: BUNDLED,
        title: 'Code of Conduct for Online CSEA Detection Tools',
        // Newest first.
        versions: [
          { version: '1.1.0', status: 'published', publishedAt: expect.any(String) },
          { version: '1.0.0', status: 'published', publishedAt: expect.any(String) },
        ],
      });
      for (const version of bundled.versions) expect(new Date(version.publishedAt).getTime()).not.toBeNaN();
    });

    it('answers a version as the full tree of sections and requirements, as in its YAML', async () => {
      const response = await anonymous().get(`/api/v1/codes/${BUNDLED}/versions/1.0.0`).expect(200);
      const body = response.body;
      expect(body).toMatchObject({ slug: BUNDLED, version: '1.0.0', status: 'published' });
      expect(body.levels.map((level: { level: number }) => level.level)).toEqual([1, 2, 3]);
      expect(body.profileQuestions.map((question: { key: string }) => question.key)).toEqual([
        'provider_roles',
        'tool_types',
        'service_types',
        'directed_at_children',
        'end_to_end_encrypted',
        'interpersonal_communications',
        'eu_users',
      ]);
      expect(body.profileQuestions[0]).toMatchObject({ type: 'multiple_choice', options: expect.arrayContaining([{ value: 'develops', label: 'Develops detection technology' }]) });

      const yaml = parse(BUNDLED_SOURCE) as { sections: Array<{ key: string; title: string; requirements: Array<Record<string, unknown>> }> };
      expect(body.sections.length).toBeGreaterThanOrEqual(9);
      expect(body.sections.map((section: { key: string }) => section.key)).toEqual(yaml.sections.map((section) => section.key));
      const requirements = body.sections.flatMap((section: { requirements: unknown[] }) => section.requirements);
      expect(requirements.length).toBeGreaterThanOrEqual(45);
      expect(requirements).toHaveLength(yaml.sections.flatMap((section) => section.requirements).length);
      for (const section of body.sections) {
        expect(Object.keys(section)).toEqual(expect.arrayContaining(['key', 'title', 'requirements']));
        for (const requirement of section.requirements) {
          expect(Object.keys(requirement).sort()).toEqual(REQUIREMENT_FIELDS);
          expect(requirement.level).toBeGreaterThanOrEqual(1);
          expect(typeof requirement.evidenceRequired).toBe('boolean');
        }
      }
      // Requirements keep their section and order, and the rule is kept as written.
      const first = yaml.sections[0].requirements[0];
      expect(body.sections[0].requirements[0]).toMatchObject({ key: first.key, level: first.level, evidenceRequired: first.evidence_required });
      const trm06 = requirements.find((requirement: { key: string }) => requirement.key === 'TRM-06');
      expect(trm06.appliesWhen).toBe('directed_at_children');
      const pur01 = requirements.find((requirement: { key: string }) => requirement.key === 'PUR-01');
      expect(pur01.appliesWhen).toBeNull();
    });

    it('serves the version’s YAML exactly as it was imported', async () => {
      const response = await anonymous().get(`/api/v1/codes/${BUNDLED}/versions/1.0.0/source`).expect(200);
      expect(response.headers['content-type']).toBe('application/yaml; charset=utf-8');
      expect(response.headers['content-disposition']).toContain(`${BUNDLED}-1.0.0.yaml`);
      expect(response.text).toBe(BUNDLED_SOURCE);
    });

    it('answers 404 for an unknown code or version', async () => {
      const code = await anonymous().get('/api/v1/codes/no-such-code').expect(404);
      expect(code.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const version = await anonymous().get(`/api/v1/codes/${BUNDLED}/versions/9.9.9`).expect(404);
      expect(version.body.message).toContain('9.9.9');
      await anonymous().get(`/api/v1/codes/${BUNDLED}/versions/9.9.9/source`).expect(404);
    });
  });

  describe('a version’s life: import, publish, retire', () => {
    let draftHash: string;

    it('imports a new version as a draft (201)', async () => {
      const before = await counts();
      const response = await importCode(GREEN_100).expect(201);
      expect(response.body).toEqual({
        slug: 'green-hosting',
        version: '1.0.0',
        status: 'draft',
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        sections: 2,
        requirements: 5,
      });
      draftHash = response.body.contentHash;
      const after = await counts();
      expect(after).toMatchObject({ codes: before.codes + 1, versions: before.versions + 1, sections: before.sections + 2, requirements: before.requirements + 5 });
      const row = await versionRow('green-hosting', '1.0.0');
      expect(row).toMatchObject({ status: 'draft', content_hash: draftHash, source: GREEN_100, published_at: null });
    });

    it('hides a draft from the public, and shows it to the operator', async () => {
      const list = await anonymous().get('/api/v1/codes').expect(200);
      expect(list.body.map((code: { slug: string }) => code.slug)).not.toContain('green-hosting');
      await anonymous().get('/api/v1/codes/green-hosting').expect(404);
      await anonymous().get('/api/v1/codes/green-hosting/versions/1.0.0').expect(404);
      await anonymous().get('/api/v1/codes/green-hosting/versions/1.0.0/source').expect(404);
      // A signed-in provider is the public too.
      await provider.agent.get('/api/v1/codes/green-hosting/versions/1.0.0').expect(404);

      const operatorList = await operator.agent.get('/api/v1/codes').expect(200);
      expect(operatorList.body.find((code: { slug: string }) => code.slug === 'green-hosting')).toMatchObject({
        title: 'Green Hosting Code',
        versions: [{ version: '1.0.0', status: 'draft', publishedAt: null }],
      });
      const version = await operator.agent.get('/api/v1/codes/green-hosting/versions/1.0.0').expect(200);
      expect(version.body).toMatchObject({ status: 'draft', contentHash: draftHash });
      expect(version.body.sections.map((section: { key: string }) => section.key)).toEqual(['ENE', 'REP']);
    });

    it('answers 200 and changes nothing when the same content is imported again, even reformatted', async () => {
      const before = await counts();
      const same = await importCode(GREEN_100).expect(200);
      expect(same.body).toMatchObject({ version: '1.0.0', status: 'draft', contentHash: draftHash });
      // Comments and formatting are not content.
      const reformatted = await importCode(`# Reformatted\n${GREEN_100.replace("effective_date: '2027-03-01'", 'effective_date: "2027-03-01"')}`).expect(200);
      expect(reformatted.body.contentHash).toBe(draftHash);
      expect(await counts()).toEqual(before);
      expect(await versionCount('green-hosting')).toBe(1);
      expect((await versionRow('green-hosting', '1.0.0')).source).toBe(GREEN_100);
    });

    it('replaces a draft when changed content is imported under the same version', async () => {
      const { id: firstId } = await versionRow('green-hosting', '1.0.0');
      const changed = await importCode(edited(GREEN_100, 'title: Green Hosting Code', 'title: Green Hosting Code (draft)')).expect(201);
      expect(changed.body.status).toBe('draft');
      expect(changed.body.contentHash).not.toBe(draftHash);
      expect(await versionCount('green-hosting')).toBe(1);
      const row = await versionRow('green-hosting', '1.0.0');
      expect(row).toMatchObject({ title: 'Green Hosting Code (draft)', content_hash: changed.body.contentHash });
      const version = await operator.agent.get('/api/v1/codes/green-hosting/versions/1.0.0').expect(200);
      expect(version.body.title).toBe('Green Hosting Code (draft)');
      const replaced = await t.sql(`SELECT id FROM audit_events WHERE action = 'code.draft_replaced' AND target_id = $1`, [row.id]);
      expect(replaced).toHaveLength(1);
      // Requirements of the replaced draft do not linger.
      const [{ requirements }] = await t.sql<{ requirements: number }>(
        `SELECT count(*)::int AS requirements FROM code_requirements r JOIN code_versions v ON v.id = r.code_version_id JOIN codes c ON c.id = v.code_id WHERE c.slug = 'green-hosting'`,
      );
      expect(requirements).toBe(5);
      expect(await t.sql('SELECT id FROM code_versions WHERE id = $1', [firstId])).toEqual([]);

      // Back to the fixture's content, for the rest of the tests.
      const restored = await importCode(GREEN_100).expect(201);
      expect(restored.body.contentHash).toBe(draftHash);
    });

    it('publishes a draft (200); the public then sees it', async () => {
      const response = await transition('green-hosting', '1.0.0', 'publish').expect(200);
      expect(response.body).toMatchObject({ slug: 'green-hosting', version: '1.0.0', status: 'published', publishedAt: expect.any(String), contentHash: draftHash });
      expect(response.body.sections).toHaveLength(2);
      const list = await anonymous().get('/api/v1/codes').expect(200);
      expect(list.body.find((code: { slug: string }) => code.slug === 'green-hosting')).toMatchObject({
        versions: [{ version: '1.0.0', status: 'published', publishedAt: response.body.publishedAt }],
      });
      const version = await anonymous().get('/api/v1/codes/green-hosting/versions/1.0.0').expect(200);
      expect(version.body).toMatchObject({ status: 'published', contentHash: draftHash });
      const source = await anonymous().get('/api/v1/codes/green-hosting/versions/1.0.0/source').expect(200);
      expect(source.text).toBe(GREEN_100);
      const row = await versionRow('green-hosting', '1.0.0');
      expect(row.published_at).not.toBeNull();
    });

    it('refuses to publish a published version again (409), naming its state', async () => {
      const response = await transition('green-hosting', '1.0.0', 'publish').expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { status: 'published' } });
      expect(response.body.message).toContain('published');
    });

    it('refuses different content under a published version number (409) and keeps what was published', async () => {
      const before = await versionRow('green-hosting', '1.0.0');
      const auditBefore = (await counts()).audit;
      const response = await importCode(edited(GREEN_100, 'title: Green Hosting Code', 'title: Rewritten After Publication')).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, details: { status: 'published', contentHash: draftHash } });
      expect(response.body.message).toContain('published');
      expect(response.body.message).toContain('1.0.1');
      expect(await versionRow('green-hosting', '1.0.0')).toEqual(before);
      expect((await counts()).audit).toBe(auditBefore);
      const version = await anonymous().get('/api/v1/codes/green-hosting/versions/1.0.0').expect(200);
      expect(version.body.title).toBe('Green Hosting Code');
    });

    it('the database itself refuses to change or delete a published version (SQLSTATE 55000)', async () => {
      const { id } = await versionRow('green-hosting', '1.0.0');
      const frozen = { driverError: expect.objectContaining({ code: '55000' }) };
      await expect(asApplication(`UPDATE code_requirements SET text = 'Tampered' WHERE code_version_id = $1 AND key = 'ENE-01'`, [id])).rejects.toMatchObject(frozen);
      await expect(asApplication(`DELETE FROM code_requirements WHERE code_version_id = $1`, [id])).rejects.toMatchObject(frozen);
      await expect(asApplication(`UPDATE code_versions SET title = 'Tampered' WHERE id = $1`, [id])).rejects.toMatchObject(frozen);
      await expect(asApplication(`UPDATE code_versions SET changelog = '{"from": "0.9.0", "changes": []}' WHERE id = $1`, [id])).rejects.toMatchObject(frozen);
      await expect(asApplication(`UPDATE code_versions SET status = 'draft' WHERE id = $1`, [id])).rejects.toMatchObject(frozen);
      await expect(asApplication(`DELETE FROM code_versions WHERE id = $1`, [id])).rejects.toMatchObject(frozen);
      const [requirement] = await t.sql<{ text: string }>(`SELECT text FROM code_requirements WHERE code_version_id = $1 AND key = 'ENE-01'`, [id]);
      expect(requirement.text).toBe('The provider shall source at least 90 % of its electricity from renewable sources.');
      expect(await versionRow('green-hosting', '1.0.0')).toMatchObject({ id, status: 'published', title: 'Green Hosting Code' });
    });

    it('compares two versions requirement by requirement', async () => {
      await importCode(GREEN_110).expect(201);
      await transition('green-hosting', '1.1.0', 'publish').expect(200);
      const response = await anonymous().get('/api/v1/codes/green-hosting/diff?from=1.0.0&to=1.1.0').expect(200);
      const diff = response.body;
      expect(diff).toMatchObject({ from: '1.0.0', to: '1.1.0', unchanged: 0 });
      expect(diff.added).toEqual([{ key: 'REP-03', title: 'Scope 3 emissions', section: 'REP', level: 2 }]);
      expect(diff.removed).toEqual([{ key: 'ENE-03', title: 'Heat reuse', section: 'ENE', level: 3 }]);
      const changed = Object.fromEntries(diff.changed.map((entry: { key: string; changes: unknown }) => [entry.key, entry.changes]));
      expect(Object.keys(changed).sort()).toEqual(['ENE-01', 'ENE-02', 'REP-01', 'REP-02']);
      expect(changed['ENE-01']).toEqual([
        {
          field: 'text',
          from: 'The provider shall source at least 90 % of its electricity from renewable sources.',
          to: 'The provider shall source all of its electricity from renewable sources.',
        },
      ]);
      expect(changed['ENE-02']).toEqual([{ field: 'appliesWhen', from: 'hosting_model == "own_datacentre"', to: 'hosting_model != "cloud"' }]);
      expect(changed['REP-01']).toEqual([{ field: 'level', from: 1, to: 2 }]);
      expect(changed['REP-02']).toEqual([{ field: 'section', from: 'REP', to: 'ENE' }]);

      // `from` defaults to the version before `to`, `to` to the newest.
      const byDefault = await anonymous().get('/api/v1/codes/green-hosting/diff').expect(200);
      expect(byDefault.body).toEqual(diff);
    });

    it('answers 404 when a compared version does not exist', async () => {
      const from = await anonymous().get('/api/v1/codes/green-hosting/diff?from=0.9.0&to=1.1.0').expect(404);
      expect(from.body.message).toContain('0.9.0');
      const to = await anonymous().get('/api/v1/codes/green-hosting/diff?from=1.0.0&to=7.0.0').expect(404);
      expect(to.body.message).toContain('7.0.0');
      await anonymous().get('/api/v1/codes/no-such-code/diff?from=1.0.0&to=1.1.0').expect(404);
    });

    it('retires a published version (200) and refuses to retire it twice (409)', async () => {
      const retired = await transition('green-hosting', '1.0.0', 'retire').expect(200);
      expect(retired.body).toMatchObject({ version: '1.0.0', status: 'retired', retiredAt: expect.any(String), publishedAt: expect.any(String) });
      const row = await versionRow('green-hosting', '1.0.0');
      expect(row).toMatchObject({ status: 'retired', content_hash: draftHash });
      expect(row.retired_at).not.toBeNull();

      const again = await transition('green-hosting', '1.0.0', 'retire').expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, details: { status: 'retired' } });
      expect(again.body.message).toContain('retired');
      await transition('green-hosting', '1.0.0', 'publish').expect(409);

      // Retired, its content stays readable as it was and still cannot change.
      const version = await anonymous().get('/api/v1/codes/green-hosting/versions/1.0.0').expect(200);
      expect(version.body).toMatchObject({ status: 'retired', contentHash: draftHash });
      await expect(asApplication(`UPDATE code_versions SET status = 'published' WHERE id = $1`, [row.id])).rejects.toMatchObject({
        driverError: expect.objectContaining({ code: '55000' }),
      });
    });

    it('retires a draft that was never published', async () => {
      const draft = edited(GREEN_110, 'version: 1.1.0', 'version: 1.2.0');
      await importCode(draft).expect(201);
      const retired = await transition('green-hosting', '1.2.0', 'retire').expect(200);
      expect(retired.body).toMatchObject({ version: '1.2.0', status: 'retired', publishedAt: null, retiredAt: expect.any(String) });
      await transition('green-hosting', '1.2.0', 'publish').expect(409);

      // Never published, it stays the operator's: the public neither lists, reads nor compares it.
      const listed = (await anonymous().get('/api/v1/codes').expect(200)).body.find((code: { slug: string }) => code.slug === 'green-hosting');
      expect(listed.versions.map((entry: { version: string }) => entry.version)).not.toContain('1.2.0');
      await anonymous().get('/api/v1/codes/green-hosting/versions/1.2.0').expect(404);
      await anonymous().get('/api/v1/codes/green-hosting/versions/1.2.0/source').expect(404);
      expect((await anonymous().get('/api/v1/codes/green-hosting/diff').expect(200)).body.to).not.toBe('1.2.0');
      await operator.agent.get('/api/v1/codes/green-hosting/versions/1.2.0').expect(200);
    });

    it('answers 404 when publishing or retiring an unknown version', async () => {
      await transition('green-hosting', '3.0.0', 'publish').expect(404);
      await transition('no-such-code', '1.0.0', 'retire').expect(404);
    });
  });

  describe('validation of a code document', () => {
    /** A code with `sections` sections of `perSection` requirements each. */
    function largeCode(slug: string, sections: number, perSection: number): string {
      const levels = [1, 2, 3].map((level) => ({ level, name: `Level ${level}`, description: 'Evidence.' }));
      return stringify({
        code: slug,
        title: 'A large code',
        owner: 'Tests',
        version: '1.0.0',
        effective_date: '2027-01-01',
        summary: 'Many requirements.',
        levels,
        sections: Array.from({ length: sections }, (_, s) => ({
          key: `S${s}`,
          title: `Section ${s}`,
          requirements: Array.from({ length: perSection }, (_, r) => ({ key: `S${s}-${r}`, title: `Requirement ${r}`, text: 'The provider shall.', level: 1, evidence_required: false })),
        })),
      });
    }

    it('imports a large code whole: 6,000 requirements, more than one INSERT can carry', async () => {
      const imported = await importCode(largeCode('large-code', 20, 300)).expect(201);
      expect(imported.body).toMatchObject({ sections: 20, requirements: 6000 });
      const [{ n }] = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM code_requirements r JOIN code_versions v ON v.id = r.code_version_id JOIN codes c ON c.id = v.code_id WHERE c.slug = 'large-code'`,
      );
      expect(n).toBe(6000);
    });

    it('refuses a section with more than 300 requirements', async () => {
      const response = await validateCode(largeCode('too-large', 1, 301)).expect(400);
      expect(response.body.details).toEqual({ 'sections[0].requirements': ['must contain no more than 300 elements'] });
    });

    it('refuses an invalid document (400), naming each problem by its path, and stores nothing', async () => {
      const before = await counts();
      const duplicate = edited(GREEN_100, 'key: ENE-02', 'key: ENE-01').replace('code: green-hosting', 'code: duplicate-keys');
      const response = await importCode(duplicate).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body.details).toEqual({ 'sections[0].requirements[1].key': ['duplicate key ENE-01'] });
      expect(response.body.message).toContain('sections[0].requirements[1].key: duplicate key ENE-01');
      expect(await counts()).toEqual(before);
    });

    it('reports every problem of a document at once', async () => {
      let source = edited(GREEN_100, 'version: 1.0.0', 'version: one');
      source = edited(source, 'title: Green Hosting Code\n', '');
      source = edited(source, '        level: 3\n', '        level: 7\n');
      const response = await importCode(source).expect(400);
      expect(response.body.details).toMatchObject({ title: ['is missing'], version: [expect.stringContaining('semantic version')] });
      expect(response.body.message).toContain('title');
      expect(response.body.message).toContain('version');

      // The cross-field rules are checked once the shapes are right.
      const badLevel = await importCode(edited(GREEN_100, '        level: 3\n', '        level: 7\n')).expect(400);
      expect(badLevel.body.details).toEqual({ 'sections[0].requirements[2].level': [expect.stringContaining('level 7 is not one of the code')] });
      const badRule = await importCode(edited(GREEN_100, 'applies_when: stores_personal_data', 'applies_when: stores_secrets')).expect(400);
      expect(Object.keys(badRule.body.details)).toEqual(['sections[1].requirements[1].applies_when']);
      const badOption = await importCode(edited(GREEN_100, `applies_when: 'hosting_model == "own_datacentre"'`, `applies_when: 'hosting_model == "basement"'`)).expect(400);
      expect(badOption.body.details['sections[0].requirements[1].applies_when'][0]).toContain('"basement" is not an option of hosting_model');
    });

    it('refuses text that is not YAML, or a YAML that is not a mapping', async () => {
      const broken = await importCode('code: [unclosed\n').expect(400);
      expect(broken.body.message).toContain('not valid');
      expect(Object.keys(broken.body.details).length).toBeGreaterThan(0);
      const scalar = await importCode('just a sentence\n').expect(400);
      expect(scalar.body.details).toHaveProperty('(document)');
    });

    it('validates a valid document without saving anything (200)', async () => {
      const before = await counts();
      const source = edited(GREEN_100, 'code: green-hosting', 'code: validated-only');
      const response = await validateCode(source).expect(200);
      expect(response.body).toEqual({ valid: true, slug: 'validated-only', version: '1.0.0', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/), sections: 2, requirements: 5 });
      // The same hash an import would record.
      expect((await validateCode(GREEN_100).expect(200)).body.contentHash).toBe((await versionRow('green-hosting', '1.0.0')).content_hash);
      expect(await counts()).toEqual(before);
      expect(await t.sql(`SELECT id FROM codes WHERE slug = 'validated-only'`)).toEqual([]);
      await operator.agent.get('/api/v1/codes/validated-only').expect(404);
    });

    it('validates an invalid document as an import would (400), without saving anything', async () => {
      const before = await counts();
      const response = await validateCode(edited(GREEN_100, 'key: ENE-02', 'key: ENE-01').replace('code: green-hosting', 'code: validated-invalid')).expect(400);
      expect(response.body.details).toEqual({ 'sections[0].requirements[1].key': ['duplicate key ENE-01'] });
      expect(await counts()).toEqual(before);
    });

    it('checks a changelog against the version it counts from, which must be there, on validation and import', async () => {
      // The green-hosting fixtures under a code of their own, 1.1.0 with a changelog from 1.0.0.
      const v100 = GREEN_100.replace('code: green-hosting', 'code: green-ledger');
      const withChangelog = (changes: unknown[]) => {
        const document = parse(GREEN_110.replace('code: green-hosting', 'code: green-ledger'));
        document.changelog = { from: '1.0.0', changes };
        return stringify(document);
      };
      const truthful = withChangelog([
        { change: 'added', keys: ['REP-03'], reason: 'Suppliers cause most of the footprint.', references: ['GHG Protocol, Corporate Value Chain (Scope 3) Standard'] },
        { change: 'removed', keys: ['ENE-03'], reason: 'Left to building regulations.' },
        { change: 'changed', keys: ['ENE-01', 'ENE-02', 'REP-01'], reason: 'Stricter targets.' },
        { change: 'moved', keys: ['REP-02'], reason: 'Belongs with operations.' },
      ]);
      const before = await counts();

      const early = await importCode(truthful).expect(400);
      expect(early.body.details).toEqual({ 'changelog.from': ['green-ledger 1.0.0 is not in Adhere: import it first, so that the changelog can be checked against it'] });
      await importCode(v100).expect(201);
      await transition('green-ledger', '1.0.0', 'publish').expect(200);

      const untrue = withChangelog([
        { change: 'added', keys: ['REP-03'], reason: 'New.' },
        { change: 'removed', keys: ['ENE-03'], reason: 'Gone.' },
        { change: 'changed', keys: ['ENE-01', 'REP-01', 'REP-02'], reason: 'Changed.' },
      ]);
      for (const send of [validateCode, importCode]) {
        const refused = await send(untrue).expect(400);
        expect(refused.body.details).toEqual({
          'changelog.changes': [
            'requirement ENE-02 was changed since 1.0.0 (appliesWhen), but no change names it as changed',
            'requirement REP-02 was moved since 1.0.0 (from REP), but no change names it as moved',
          ],
          'changelog.changes[2].keys': ['names REP-02 as changed, but it was moved since 1.0.0'],
        });
      }
      const named = await validateCode(withChangelog([{ change: 'changed', keys: ['ENE-09'], reason: 'No such requirement.' }])).expect(400);
      expect(named.body.details).toMatchObject({ 'changelog.changes[0].keys': ['ENE-09 is not a requirement of this version'] });
      expect(await counts()).toMatchObject({ versions: before.versions + 1 });

      await validateCode(truthful).expect(200);
      await importCode(truthful).expect(201);
      await transition('green-ledger', '1.1.0', 'publish').expect(200);
      const version = await anonymous().get('/api/v1/codes/green-ledger/versions/1.1.0').expect(200);
      expect(version.body.changelog).toEqual({ from: '1.0.0', changes: expect.arrayContaining([{ change: 'moved', keys: ['REP-02'], questions: [], reason: 'Belongs with operations.', references: [] }]) });
      expect((await anonymous().get('/api/v1/codes/green-ledger/versions/1.0.0').expect(200)).body.changelog).toBeNull();
      const diff = await anonymous().get('/api/v1/codes/green-ledger/diff').expect(200);
      expect(diff.body).toMatchObject({ from: '1.0.0', to: '1.1.0', questions: { added: [], removed: [], changed: [] } });
    });

    it('answers 415 to a body that is not YAML', async () => {
      const before = await counts();
      for (const path of ['/api/v1/codes', '/api/v1/codes/validate']) {
        const json = await operator.agent.post(path).set('X-CSRF-Token', operator.csrf).send(parse(GREEN_100)).expect(415);
        expect(json.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
        expect(json.body.message).toContain('application/yaml');
        await operator.agent.post(path).set('X-CSRF-Token', operator.csrf).set('Content-Type', 'text/plain').send(GREEN_100).expect(415);
      }
      expect(await counts()).toEqual(before);
    });

    it('answers 413 to a body over 1 MB', async () => {
      const before = await counts();
      const padding = `# ${'x'.repeat(98)}\n`.repeat(10_600);
      const big = edited(GREEN_100, 'code: green-hosting', 'code: too-big') + padding;
      expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
      const response = await importCode(big).expect(413);
      expect(response.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      await validateCode(big).expect(413);
      expect(await counts()).toEqual(before);
    });
  });

  describe('accreditation of monitoring bodies', () => {
    let accreditationId: string;

    it('accredits a monitoring body (201); the public list then names it', async () => {
      const response = await accredit({ organization: monitor.organization.slug, validFrom: day(-10), validUntil: day(355) }).expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        organization: { slug: monitor.organization.slug, name: 'Codes Monitor', country: null, website: null },
        validFrom: day(-10),
        validUntil: day(355),
        state: 'current',
        endedAt: null,
        endReason: null,
      });
      accreditationId = response.body.id;
      const list = await anonymous().get(`/api/v1/codes/${BUNDLED}/monitoring-bodies`).expect(200);
      expect(list.body).toEqual([
        { slug: monitor.organization.slug, name: 'Codes Monitor', country: null, website: null, accreditedFrom: day(-10), accreditedUntil: day(355) },
      ]);
      const [row] = await t.sql(`SELECT organization_id, created_by, ended_at FROM accreditations WHERE id = $1`, [accreditationId]);
      expect(row).toEqual({ organization_id: monitor.organization.id, created_by: operatorId, ended_at: null });
    });

    it('refuses to accredit a provider (422)', async () => {
      const response = await accredit({ organization: provider.organization.slug, validFrom: day(0), validUntil: day(30) }).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, details: { organization: ['must be a monitoring body'] } });
      expect(await t.sql('SELECT id FROM accreditations WHERE organization_id = $1', [provider.organization.id])).toEqual([]);
    });

    it('refuses an unknown organization (422)', async () => {
      const response = await accredit({ organization: 'no-such-monitor', validFrom: day(0), validUntil: day(30) }).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, details: { organization: ['no organization has this slug'] } });
    });

    it('refuses dates that overlap a running accreditation (409)', async () => {
      const before = await counts();
      const response = await accredit({ organization: monitor.organization.slug, validFrom: day(300), validUntil: day(700) }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, details: { accreditation: accreditationId } });
      expect(response.body.message).toContain(day(-10));
      // A period that shares only its first day with the running one overlaps too: both dates are included.
      await accredit({ organization: monitor.organization.slug, validFrom: day(355), validUntil: day(400) }).expect(409);
      expect(await counts()).toEqual(before);
    });

    it('refuses a period that ends before it starts, or dates that are not dates (400)', async () => {
      const reversed = await accredit({ organization: monitor.organization.slug, validFrom: day(400), validUntil: day(380) }).expect(400);
      expect(reversed.body.details).toEqual({ validUntil: ['validUntil must be after validFrom'] });
      const same = await accredit({ organization: monitor.organization.slug, validFrom: day(400), validUntil: day(400) }).expect(400);
      expect(same.body.details).toHaveProperty('validUntil');
      const malformed = await accredit({ organization: monitor.organization.slug, validFrom: '2027-02-30', validUntil: 'soon' }).expect(400);
      expect(malformed.body.details).toEqual({
        validFrom: ['validFrom must be a date written as YYYY-MM-DD'],
        validUntil: ['validUntil must be a date written as YYYY-MM-DD'],
      });
    });

    it('answers 404 for an unknown code', async () => {
      await accredit({ organization: monitor.organization.slug, validFrom: day(0), validUntil: day(30) }, 'no-such-code').expect(404);
      await anonymous().get('/api/v1/codes/no-such-code/monitoring-bodies').expect(404);
    });

    it('keeps a future accreditation out of the public list', async () => {
      const later = await t.signUp({ organization: 'Later Monitor', kind: 'monitoring_body' });
      const response = await accredit({ organization: later.organization.slug, validFrom: day(30), validUntil: day(400) }).expect(201);
      expect(response.body.state).toBe('upcoming');
      const list = await anonymous().get(`/api/v1/codes/${BUNDLED}/monitoring-bodies`).expect(200);
      expect(list.body.map((body: { slug: string }) => body.slug)).toEqual([monitor.organization.slug]);
      const all = await operator.agent.get(`/api/v1/codes/${BUNDLED}/accreditations`).expect(200);
      expect(all.body.find((item: { id: string }) => item.id === response.body.id)).toMatchObject({ state: 'upcoming' });
      expect(all.body.find((item: { id: string }) => item.id === accreditationId)).toMatchObject({ state: 'current' });
    });

    it('ends an accreditation (200): it leaves the public list, and cannot end twice (409)', async () => {
      const ended = await endAccreditation(accreditationId, 'The monitoring body asked to withdraw.').expect(200);
      expect(ended.body).toMatchObject({ id: accreditationId, state: 'ended', endedAt: expect.any(String), endReason: 'The monitoring body asked to withdraw.' });
      const list = await anonymous().get(`/api/v1/codes/${BUNDLED}/monitoring-bodies`).expect(200);
      expect(list.body.map((body: { slug: string }) => body.slug)).not.toContain(monitor.organization.slug);

      const again = await endAccreditation(accreditationId, 'Once more.').expect(409);
      expect(again.body.statusCode).toBe(409);
      const [row] = await t.sql<{ end_reason: string; ended_by: string }>(`SELECT end_reason, ended_by FROM accreditations WHERE id = $1`, [accreditationId]);
      expect(row).toEqual({ end_reason: 'The monitoring body asked to withdraw.', ended_by: operatorId });
      const events = await t.sql(`SELECT id FROM audit_events WHERE action = 'accreditation.ended' AND target_id = $1`, [accreditationId]);
      expect(events).toHaveLength(1);
    });

    it('needs a reason to end, and answers 404 for an unknown accreditation', async () => {
      const other = await accredit({ organization: monitor.organization.slug, validFrom: day(-5), validUntil: day(60) }).expect(201);
      const missing = await operator.agent.post(`/api/v1/codes/${BUNDLED}/accreditations/${other.body.id}/end`).set('X-CSRF-Token', operator.csrf).send({}).expect(400);
      expect(missing.body.details).toHaveProperty('reason');
      await endAccreditation('00000000-0000-4000-8000-000000000000', 'No such thing.').expect(404);
      await endAccreditation('not-a-uuid', 'No such thing.').expect(400);
      // An accreditation of one code is not reached through another's path.
      await endAccreditation(other.body.id, 'Wrong code.', 'green-hosting').expect(404);
      expect((await t.sql<{ ended_at: Date | null }>('SELECT ended_at FROM accreditations WHERE id = $1', [other.body.id]))[0].ended_at).toBeNull();
    });
  });

  describe('who may manage codes', () => {
    const routes = () => [
      { name: 'import', send: (agent: Actor['agent'], headers: Record<string, string>) => agent.post('/api/v1/codes').set(headers).set('Content-Type', 'application/yaml').send(edited(GREEN_100, 'code: green-hosting', 'code: intruder-code')) },
      { name: 'validate', send: (agent: Actor['agent'], headers: Record<string, string>) => agent.post('/api/v1/codes/validate').set(headers).set('Content-Type', 'application/yaml').send(GREEN_100) },
      { name: 'publish', send: (agent: Actor['agent'], headers: Record<string, string>) => agent.post('/api/v1/codes/green-hosting/versions/1.1.0/publish').set(headers).send({}) },
      { name: 'retire', send: (agent: Actor['agent'], headers: Record<string, string>) => agent.post('/api/v1/codes/green-hosting/versions/1.1.0/retire').set(headers).send({}) },
      {
        name: 'accredit',
        send: (agent: Actor['agent'], headers: Record<string, string>) =>
          agent.post(`/api/v1/codes/${BUNDLED}/accreditations`).set(headers).send({ organization: monitor.organization.slug, validFrom: day(800), validUntil: day(900) }),
      },
      { name: 'list accreditations', send: (agent: Actor['agent'], headers: Record<string, string>) => agent.get(`/api/v1/codes/${BUNDLED}/accreditations`).set(headers) },
      { name: 'end accreditation', send: (agent: Actor['agent'], headers: Record<string, string>) => agent.post(`/api/v1/codes/${BUNDLED}/accreditations/${accreditationToEnd}/end`).set(headers).send({ reason: 'Not yours to end.' }) },
    ];
    let accreditationToEnd: string;

    beforeAll(async () => {
      const target = await t.signUp({ organization: 'Guarded Monitor', kind: 'monitoring_body' });
      accreditationToEnd = (await accredit({ organization: target.organization.slug, validFrom: day(-1), validUntil: day(90) }).expect(201)).body.id;
    });

    /** Nothing a refused caller tried may have been written. */
    async function expectNothingWritten(before: Record<string, number>) {
      expect(await counts()).toEqual(before);
      expect(await versionRow('green-hosting', '1.1.0')).toMatchObject({ status: 'published' });
      expect((await t.sql<{ ended_at: Date | null }>('SELECT ended_at FROM accreditations WHERE id = $1', [accreditationToEnd]))[0].ended_at).toBeNull();
    }

    it('answers 401 to anyone not signed in', async () => {
      const before = await counts();
      for (const route of routes()) {
        const response = await route.send(request.agent(t.server), {});
        expect([route.name, response.status, response.body.statusCode]).toEqual([route.name, 401, 401]);
      }
      await expectNothingWritten(before);
    });

    it('answers 403 to a provider’s owner and a monitoring body’s admin', async () => {
      const before = await counts();
      for (const actor of [provider, monitor]) {
        for (const route of routes()) {
          const response = await route.send(actor.agent, { 'X-CSRF-Token': actor.csrf });
          expect([route.name, response.status]).toEqual([route.name, 403]);
          expect(response.body.message).toBe('Only the platform operator can do this.');
        }
      }
      await expectNothingWritten(before);
    });

    it('answers 403 to an API token, even with the write scope', async () => {
      const before = await counts();
      for (const route of routes()) {
        const response = await route.send(request.agent(t.server), { Authorization: `Bearer ${writeToken}` });
        expect([route.name, response.status]).toEqual([route.name, 403]);
        expect(response.body.message).toContain('signed-in person');
      }
      // A token's calls update its last use; nothing else may change.
      const after = await counts();
      expect(after).toEqual(before);
      await expectNothingWritten(before);
    });
  });

  describe('the audit log', () => {
    it('records imports, publications and accreditations as platform events (no organization)', async () => {
      const rows = await t.sql<{ action: string; organization_id: string | null; actor_user_id: string | null; target_id: string; data: Record<string, unknown> }>(
        `SELECT action, organization_id, actor_user_id, target_id, data FROM audit_events
          WHERE action IN ('code.imported', 'code.published', 'code.retired', 'code.draft_replaced', 'accreditation.granted', 'accreditation.ended') ORDER BY id`,
      );
      expect(rows.every((row) => row.organization_id === null)).toBe(true);
      const green = await versionRow('green-hosting', '1.0.0');
      const forGreen = rows.filter((row) => row.target_id === green.id).map((row) => row.action);
      // Its last import replaced the draft before it; then it was published and retired.
      expect(forGreen).toEqual(['code.draft_replaced', 'code.published', 'code.retired']);
      const imported = rows.find((row) => row.action === 'code.imported' && row.data.code === 'green-hosting' && row.data.version === '1.1.0');
      expect(imported).toMatchObject({ actor_user_id: operatorId, data: { code: 'green-hosting', version: '1.1.0', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      // The final import of 1.0.0 replaced a draft; the first was an import.
      expect(rows.filter((row) => row.action === 'code.imported' && row.data.code === 'green-hosting' && row.data.version === '1.0.0')).toHaveLength(1);
      expect(rows.filter((row) => row.action === 'code.draft_replaced' && row.data.version === '1.0.0')).toHaveLength(2);
      // The bundled code was imported and published at start-up, by no one.
      const bundled = await versionRow(BUNDLED, '1.0.0');
      expect(rows.filter((row) => row.target_id === bundled.id)).toEqual([
        expect.objectContaining({ action: 'code.imported', actor_user_id: null, data: expect.objectContaining({ code: BUNDLED, version: '1.0.0' }) }),
        expect.objectContaining({ action: 'code.published', actor_user_id: null }),
      ]);
      const granted = rows.filter((row) => row.action === 'accreditation.granted');
      expect(granted.length).toBeGreaterThanOrEqual(3);
      expect(granted[0]).toMatchObject({ actor_user_id: operatorId, data: { code: BUNDLED, organization: monitor.organization.slug, validFrom: day(-10), validUntil: day(355) } });
    });
  });
});
