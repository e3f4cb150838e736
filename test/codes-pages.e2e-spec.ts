import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { csrfFrom, flashOf, open, postForm, textOf } from './support/html';
import { Actor, createTestApp, TestApp } from './support/test-app';

const OPERATOR = { email: 'operator@example.org', password: 'operator passphrase 1' };
const FIXTURES = join(__dirname, 'fixtures', 'codes');
const BUNDLED = 'csea-detection-tools';

/** The code pages and the provider's service pages, used as people in a browser would. */
describe('code and service pages', () => {
  let t: TestApp;
  let operator: TestAgent;
  let provider: Actor;
  let monitoringBody: Actor;

  /** Posts the import form with a file, as multipart, to `action` (check or import). */
  async function uploadCode(action: 'check' | 'import', file: string, status: number) {
    const form = await open(operator, '/operator/codes/import');
    return operator
      .post(`/operator/codes/${action}`)
      .field('_csrf', csrfFrom(form))
      .attach('file', file, { contentType: 'application/yaml' })
      .redirects(0)
      .expect(status);
  }

  /** Submits the form on `page` whose action is `action`, with the page's own token. */
  async function submit(agent: TestAgent, page: string, action: string, fields: Array<[string, string]>, status: number) {
    const html = await open(agent, page);
    return postForm(agent, action, [['_csrf', csrfFrom(html)], ...fields])
      .redirects(0)
      .expect(status);
  }

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password });
    operator = (await t.signIn(OPERATOR.email, OPERATOR.password)).agent;
    provider = await t.signUp({ organization: 'SafeChat Ltd' });
    monitoringBody = await t.signUp({ organization: 'Independent Monitor', kind: 'monitoring_body' });
  });
  afterAll(() => t.close());

  describe('the public code reader', () => {
    it('lists the bundled code and shows it in full, with an anchor for every requirement', async () => {
      const anonymous = request.agent(t.server);
      expect(textOf(await open(anonymous, '/codes'))).toContain('Code of Conduct for Online CSEA Detection Tools');
      const redirect = await anonymous.get(`/codes/${BUNDLED}`).redirects(0).expect(302);
      expect(redirect.headers.location).toBe(`/codes/${BUNDLED}/1.1.0`);

      const html = await open(anonymous, `/codes/${BUNDLED}/1.0.0`);
      const tree = (await anonymous.get(`/api/v1/codes/${BUNDLED}/versions/1.0.0`).expect(200)).body;
      for (const section of tree.sections) {
        expect(html).toContain(`id="section-${section.key}"`);
        for (const requirement of section.requirements) expect(html).toContain(`<article id="${requirement.key}"`);
      }
      const text = textOf(html);
      for (const level of tree.levels) expect(text).toContain(level.name);
      expect(text).toContain('Applies only when “Is the service directed at children or widely used by them?” is answered yes');
      expect(html).not.toContain('Operator actions');
    });

    it("shows a version's changelog: each change, why it was made and what it rests on", async () => {
      const anonymous = request.agent(t.server);
      const html = await open(anonymous, `/codes/${BUNDLED}/1.1.0`);
      const text = textOf(html);
      const { changelog } = (await anonymous.get(`/api/v1/codes/${BUNDLED}/versions/1.1.0`).expect(200)).body;
      expect(changelog.from).toBe('1.0.0');
      expect(text).toContain(`What changed since 1.0.0 ${changelog.changes.length} changes, each with its reason and the texts it rests on.`);
      expect(html).toContain(`<a href="/codes/${BUNDLED}/diff?from=1.0.0&amp;to=1.1.0">Compare 1.0.0 and 1.1.0 requirement by requirement</a>`);
      changelog.changes.forEach((entry: { keys: string[]; questions: string[]; parts?: string[]; reason: string; references: string[] }, index: number) => {
        const start = html.indexOf(`<li id="change-${index + 1}">`);
        const next = html.indexOf(`<li id="change-${index + 2}">`);
        const item = html.slice(start, next > 0 ? next : html.indexOf('</ol>', start));
        for (const key of entry.keys) expect(item).toContain(`<a href="/codes/${BUNDLED}/1.1.0#${key}">${key}</a>`);
        for (const key of entry.questions) expect(item).toContain(`profile question <code>${key}</code>`);
        for (const part of entry.parts ?? []) expect(part).toBe('evidence_policy');
        if (entry.parts) expect(item).toContain(`<a href="/codes/${BUNDLED}/1.1.0#evidence-policy">Evidence policy</a>`);
        expect(textOf(item)).toContain(textOf(entry.reason));
        for (const reference of entry.references) expect(textOf(item)).toContain(textOf(reference));
      });
      expect(text).toContain('Added : OVS-07 Control, location and audit of hash databases and report databases');
      expect(text).toContain('Chapter V, Arts. 44–50 (transfers of personal data to third countries)');
      expect(changelog.changes.filter((entry: { parts?: string[] }) => entry.parts)).toMatchObject([{ change: 'added', parts: ['evidence_policy'] }]);
      expect(text).toContain('Added : Evidence policy');
      // The first version has none.
      expect(await open(anonymous, `/codes/${BUNDLED}/1.0.0`)).not.toContain('What changed since');
    });

    it('compares the two versions, giving for each change the changelog entries that explain it', async () => {
      const anonymous = request.agent(t.server);
      const html = await open(anonymous, `/codes/${BUNDLED}/diff?from=1.0.0&to=1.1.0`);
      const text = textOf(html);
      const diff = (await anonymous.get(`/api/v1/codes/${BUNDLED}/diff?from=1.0.0&to=1.1.0`).expect(200)).body;
      expect(text).toContain(`${diff.added.length} added · 0 removed · ${diff.changed.length} changed · ${diff.unchanged} unchanged · 2 profile questions added, removed or changed.`);
      expect(diff.questions).toMatchObject({ added: [{ key: 'children_user_share' }], changed: [{ key: 'directed_at_children', changes: [{ field: 'label' }, { field: 'help' }] }] });
      expect(html).toContain('<li id="change-1">');
      // OVS-07 is explained by the first change, the profile question on children by its own.
      expect(textOf(html.slice(html.indexOf('>OVS-07</a>'), html.indexOf('</li>', html.indexOf('>OVS-07</a>'))))).toContain('Why: change 1');
      expect(text).toMatch(/Changed: directed_at_children Is the service designed for children, or directed or marketed at them\? Why: change \d+/);
      expect(text).toContain('Question Is the service directed at children or widely used by them? Is the service designed for children, or directed or marketed at them?');
      expect(text).toContain('Why: the changelog of version 1.1.0');
      // The evidence policy, which 1.0.0 did not declare, is explained by the change that names it.
      const policyNumber = html.slice(0, html.indexOf(`<a href="/codes/${BUNDLED}/1.1.0#evidence-policy">Evidence policy</a>`)).split('<li id="change-').length - 1;
      expect(policyNumber).toBeGreaterThan(0);
      const policySection = html.slice(html.indexOf('<h2 id="evidence-policy">'), html.indexOf('</section>', html.indexOf('<h2 id="evidence-policy">')));
      expect(textOf(policySection)).toContain(`Why: change ${policyNumber}`);
      // Compared the other way round, the changelog does not explain the comparison and is not shown.
      const backwards = await open(anonymous, `/codes/${BUNDLED}/diff?from=1.1.0&to=1.0.0`);
      expect(backwards).not.toContain('Why: change');
    });

    it('answers 404 for a version that does not exist', async () => {
      await request(t.server).get(`/codes/${BUNDLED}/9.9.9`).expect(404);
    });
  });

  describe('the operator', () => {
    it('is the only one who reaches the operator pages', async () => {
      await provider.agent.get('/operator/codes').expect(403);
      const anonymous = await request(t.server).get('/operator/codes').redirects(0).expect(303);
      expect(anonymous.headers.location).toBe('/signin?next=%2Foperator%2Fcodes');
      expect(textOf(await open(operator, '/operator/codes'))).toContain(BUNDLED);
    });

    it('checks a file without saving it, and lists every problem of a bad one by its path', async () => {
      const checked = await uploadCode('check', join(FIXTURES, 'green-hosting-1.0.0.yaml'), 200);
      expect(textOf(checked.text)).toContain('The file is valid Green Hosting Code version 1.0.0 ( green-hosting ): 3 levels, 2 profile questions, 2 sections, 5 requirements.');
      expect(await t.sql(`SELECT 1 FROM codes WHERE slug = 'green-hosting'`)).toEqual([]);

      const bad = readFileSync(join(FIXTURES, 'green-hosting-1.0.0.yaml'), 'utf8').replace('key: REP-01', 'key: ENE-01').replace('level: 3\n        evidence_required: false', 'level: 7\n        evidence_required: false');
      const form = await open(operator, '/operator/codes/import');
      const refused = await operator.post('/operator/codes/import').field('_csrf', csrfFrom(form)).field('source', bad).redirects(0).expect(400);
      const text = textOf(refused.text);
      expect(text).toContain('Problems found');
      expect(text).toContain('sections[1].requirements[0].key: duplicate key ENE-01');
      expect(text).toContain("sections[0].requirements[2].level: level 7 is not one of the code's levels (1, 2, 3)");
      expect(refused.text).toContain('key: ENE-01'); // the pasted YAML is kept in the form
      expect(await t.sql(`SELECT 1 FROM codes WHERE slug = 'green-hosting'`)).toEqual([]);
    });

    it('imports a code from a file as a draft that only the operator can read, then publishes it', async () => {
      const imported = await uploadCode('import', join(FIXTURES, 'green-hosting-1.0.0.yaml'), 303);
      expect(imported.headers.location).toBe('/codes/green-hosting/1.0.0');
      const draft = await open(operator, '/codes/green-hosting/1.0.0');
      expect(flashOf(draft)).toBe('Imported Green Hosting Code 1.0.0 as a draft.');
      expect(textOf(draft)).toContain('This is a draft');
      await request(t.server).get('/codes/green-hosting/1.0.0').expect(404);

      const published = await submit(operator, '/codes/green-hosting/1.0.0', '/operator/codes/green-hosting/versions/1.0.0/publish', [], 303);
      expect(published.headers.location).toBe('/codes/green-hosting/1.0.0');
      const page = await open(request.agent(t.server), '/codes/green-hosting/1.0.0');
      expect(textOf(page)).toContain('Version 1.0.0 · published');
    });

    it('imports the next version and shows exactly what changed', async () => {
      await uploadCode('import', join(FIXTURES, 'green-hosting-1.1.0.yaml'), 303);
      const html = await open(operator, '/codes/green-hosting/diff?from=1.0.0&to=1.1.0');
      const text = textOf(html);
      expect(text).toContain('1 added · 1 removed · 4 changed · 0 unchanged');
      expect(text).toMatch(/Added REP-03 Scope 3 emissions/);
      expect(text).toMatch(/Removed ENE-03 Heat reuse/);
      expect(text).toContain('Requirement The provider shall source at least 90 % of its electricity from renewable sources. The provider shall source all of its electricity from renewable sources.');
      expect(text).toContain('Level 1 2');
      expect(text).toContain('Section REP ENE');
    });

    it('accredits a monitoring body, which the public then sees, and ends the accreditation', async () => {
      const page = `/operator/codes/${BUNDLED}/accreditations`;
      const wrongDates = await submit(operator, page, page, [
        ['organization', monitoringBody.organization.slug],
        ['validFrom', '2026-01-01'],
        ['validUntil', '2025-01-01'],
      ], 400);
      expect(textOf(wrongDates.text)).toContain('validUntil must be after validFrom');
      // The page is whole again: the monitoring bodies to choose from are still listed.
      expect(wrongDates.text).toContain(`<option value="${monitoringBody.organization.slug}" selected>`);

      const today = new Date();
      const from = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
      const until = new Date(today.getTime() + 365 * 86_400_000).toISOString().slice(0, 10);
      await submit(operator, page, page, [
        ['organization', monitoringBody.organization.slug],
        ['validFrom', from],
        ['validUntil', until],
      ], 303);
      expect(flashOf(await open(operator, page))).toBe(`Independent Monitor is accredited for this code from ${from} to ${until}.`);
      expect(textOf(await open(request.agent(t.server), `/codes/${BUNDLED}/1.0.0`))).toContain(`Independent Monitor — accredited until ${until}`);

      // The monitoring body sees its own accreditation; another one sees none of it.
      const own = textOf(await open(monitoringBody.agent, `/app/${monitoringBody.organization.slug}/accreditations`));
      expect(own).toContain(`Code of Conduct for Online CSEA Detection Tools ${from} ${until} current`);
      const api = await monitoringBody.agent.get(`/api/v1/orgs/${monitoringBody.organization.slug}/accreditations`).expect(200);
      expect(api.body).toEqual([expect.objectContaining({ code: { slug: BUNDLED, title: 'Code of Conduct for Online CSEA Detection Tools' }, validFrom: from, validUntil: until, state: 'current' })]);
      const otherBody = await t.signUp({ organization: 'Another Monitor', kind: 'monitoring_body' });
      expect(textOf(await open(otherBody.agent, `/app/${otherBody.organization.slug}/accreditations`))).toContain('Another Monitor is not accredited for any code yet.');
      expect((await otherBody.agent.get(`/api/v1/orgs/${otherBody.organization.slug}/accreditations`).expect(200)).body).toEqual([]);
      await otherBody.agent.get(`/app/${monitoringBody.organization.slug}/accreditations`).expect(404);

      const [{ id }] = await t.sql<{ id: string }>(`SELECT id FROM accreditations WHERE organization_id = $1`, [monitoringBody.organization.id]);
      await submit(operator, page, `${page}/${id}/end`, [['reason', 'Accreditation withdrawn after review']], 303);
      expect(textOf(await open(request.agent(t.server), `/codes/${BUNDLED}/1.0.0`))).toContain('No monitoring body is accredited for this code yet.');
    });
  });

  describe("a provider's services", () => {
    let serviceUrl: string;
    const childDirected: Array<[string, string]> = [
      ['name', 'SafeChat Kids'],
      ['url', 'https://kids.safechat.example'],
      ['profile[provider_roles][]', 'deploys'],
      ['profile[tool_types][]', 'hash_matching'],
      ['profile[service_types][]', 'messaging'],
      ['profile[directed_at_children]', 'true'],
      ['profile[children_user_share]', 'from_20_to_50_percent'],
      ['profile[end_to_end_encrypted]', 'false'],
      ['profile[interpersonal_communications]', 'true'],
      ['profile[eu_users]', 'true'],
    ];

    it('asks the profile questions of every published code', async () => {
      const html = await open(provider.agent, `/app/${provider.organization.slug}/services/new`);
      expect(html).toContain('name="profile[directed_at_children]"');
      expect(html).toContain('name="profile[hosting_model]"'); // the second code's question
    });

    it('registers a child-directed service and shows which requirements apply and why the others do not', async () => {
      const list = `/app/${provider.organization.slug}/services`;
      const created = await submit(provider.agent, `${list}/new`, list, childDirected, 303);
      serviceUrl = created.headers.location;
      const html = await open(provider.agent, serviceUrl);
      const text = textOf(html);
      expect(flashOf(html)).toBe('SafeChat Kids is registered. Below: the requirements that apply to it.');
      const [{ id }] = await t.sql<{ id: string }>(`SELECT id FROM services WHERE name = 'SafeChat Kids'`);
      const api = (await provider.agent.get(`/api/v1/orgs/${provider.organization.slug}/services/${id}/applicability?code=${BUNDLED}`).expect(200)).body;
      expect(text).toContain(`Code of Conduct for Online CSEA Detection Tools 1.1.0: ${api.applicable.length} of ${api.applicable.length + api.excluded.length} requirements apply`);
      expect(api.applicable).toContain('SBD-04');
      const applies = text.slice(text.indexOf('Requirements that apply'), text.indexOf('Requirements that do not apply'));
      expect(applies).toContain('SBD-04 Protective defaults for children');
      const excluded = text.slice(text.indexOf('Requirements that do not apply'));
      expect(excluded).toContain('SBD-02 No weakening of end-to-end encryption');
      expect(excluded).toContain('It applies only when “Are communications on the service end-to-end encrypted?” is answered yes (rule: end_to_end_encrypted )');
    });

    it('refuses a page query that is not a code and version', async () => {
      await provider.agent.get(`${serviceUrl}?code=${BUNDLED}&version=${'9'.repeat(65)}`).expect(400);
      await provider.agent.get(`${serviceUrl}?colour=red`).expect(400);
    });

    it('moves the child-protection requirements to "do not apply" when the service is not for children', async () => {
      const [{ version }] = await t.sql<{ version: number }>(`SELECT version FROM services WHERE name = 'SafeChat Kids'`);
      const changed: Record<string, string> = { 'profile[directed_at_children]': 'false', 'profile[children_user_share]': 'under_5_percent' };
      const answers = childDirected.map(([name, value]): [string, string] => [name, changed[name] ?? value]);
      await submit(provider.agent, `${serviceUrl}/edit`, serviceUrl, [['version', String(version)], ...answers], 303);
      const text = textOf(await open(provider.agent, serviceUrl));
      const excluded = text.slice(text.indexOf('Requirements that do not apply'));
      expect(excluded).toContain('SBD-04 Protective defaults for children');
      expect(excluded).toContain(
        '“Is the service designed for children, or directed or marketed at them?” is answered yes or ' +
          '“What share of the service\'s monthly active users are children, as last measured under SBD-08?” is answered ' +
          '“5% or more, but less than 20%”, “20% or more, but less than 50%”, “50% or more” or “Not measured” (rule: directed_at_children || children_user_share in',
      );
    });

    it('shows the form again, whole and with the answers given, when a save is refused', async () => {
      const list = `/app/${provider.organization.slug}/services`;
      const refused = await submit(provider.agent, `${list}/new`, list, [['name', 'SafeChat Kids'], ['profile[directed_at_children]', 'true']], 409);
      expect(textOf(refused.text)).toContain('This organization already has a service called SafeChat Kids.');
      expect(refused.text).toMatch(/name="profile\[directed_at_children\]" value="true" checked/);
      expect(refused.text).toContain('name="profile[hosting_model]"');
    });

    it('lets a viewer read but not change, and keeps other organizations out', async () => {
      const viewer = await t.addMember(provider, 'viewer');
      const list = await open(viewer.agent, `/app/${provider.organization.slug}/services`);
      expect(list).toContain('SafeChat Kids');
      expect(list).not.toContain('Register a service');
      await viewer.agent.get(`${serviceUrl}/edit`).expect(403);

      const other = await t.signUp({ organization: 'Other Provider' });
      await other.agent.get(serviceUrl).expect(404);
      const otherServices = await open(other.agent, `/app/${other.organization.slug}/services`);
      expect(otherServices).not.toContain('SafeChat Kids');
    });

    it('deletes a service', async () => {
      await submit(provider.agent, serviceUrl, `${serviceUrl}/delete`, [], 303);
      await provider.agent.get(serviceUrl).expect(404);
    });
  });
});
