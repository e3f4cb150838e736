import { createHash } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { attribute, csrfFrom, decode, elementWithId, flashOf, open, postForm, textOf } from './support/html';
import { CHILD_DIRECTED, CODE } from './support/assessment-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';

const OPERATOR = { email: 'pages-operator@example.org', password: 'operator passphrase 1' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (Licence) >> endobj\n%%EOF\n');

/** The links of the section navigation, in order: `?section=KEY`. */
function sectionsOf(html: string): string[] {
  return [...html.matchAll(/href="[^"]*\?section=([A-Z]+)"/g)].map((match) => match[1]).filter((key, index, all) => all.indexOf(key) === index);
}

/** The requirement keys of the cards on a workspace page. */
function cardsOf(html: string): string[] {
  return [...html.matchAll(/<article class="requirement-card" id="req-([^"]+)">/g)].map((match) => match[1]);
}

function hiddenVersion(html: string, key: string): string {
  const match = new RegExp(`name="answers\\[${key}\\]\\[version\\]" value="(\\d+)"`).exec(html);
  if (!match) throw new Error(`No version field for ${key}`);
  return match[1];
}

/** The whole journey as a provider's team does it in the browser, form by form, without JavaScript. */
describe('assessment pages', () => {
  let t: TestApp;
  let provider: Actor;
  let editor: TestAgent;
  let serviceId: string;
  let monitor: Actor;
  let assessmentPath: string;
  let evidenceId: string;

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password });
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    provider = await t.signUp({ organization: 'Pages Provider', name: 'Olivia Owner' });
    editor = (await t.addMember(provider, 'editor')).agent;
    monitor = await t.signUp({ organization: 'Pages Monitor', kind: 'monitoring_body' });
    await operator.agent
      .post(`/api/v1/codes/${CODE}/accreditations`)
      .set('X-CSRF-Token', operator.csrf)
      .send({ organization: monitor.organization.slug, validFrom: '2020-01-01', validUntil: '2099-12-31' })
      .expect(201);
    const service = await provider.agent
      .post(`/api/v1/orgs/${provider.organization.slug}/services`)
      .set('X-CSRF-Token', provider.csrf)
      .send({ name: 'Kids Chat', profile: CHILD_DIRECTED })
      .expect(201);
    serviceId = service.body.id;
  });

  afterAll(() => t?.close());

  const org = () => `/app/${provider.organization.slug}`;

  it('starts an assessment from the form, with the code version chosen for the provider', async () => {
    const form = await open(provider.agent, `${org()}/assessments/new`);
    expect(textOf(form)).toContain('Pages Monitor');
    // The current version of the code: the newest published one.
    const chosen = /<input type="hidden" name="version" value="([^"]+)">/.exec(form)![1];
    expect(chosen).toBe('1.1.0');
    const response = await postForm(provider.agent, `${org()}/assessments`, [
      ['_csrf', csrfFrom(form)],
      ['code', CODE],
      ['version', chosen],
      ['serviceId', serviceId],
      ['monitoringBody', monitor.organization.slug],
      ['targetLevel', '1'],
      ['copyFrom', ''],
    ])
      .redirects(0)
      .expect(303);
    assessmentPath = response.headers.location;
    expect(assessmentPath).toMatch(new RegExp(`^${org()}/assessments/[0-9a-f-]{36}$`));
    const workspace = await open(provider.agent, assessmentPath);
    expect(flashOf(workspace)).toMatch(/The assessment of Kids Chat is started: \d+ requirements apply\./);
    expect(textOf(workspace)).toContain('Answered: 0 of');
  });

  it('refuses a monitoring body that is not accredited, showing the form again with the reason', async () => {
    const form = await open(provider.agent, `${org()}/assessments/new`);
    const response = await postForm(provider.agent, `${org()}/assessments`, [
      ['_csrf', csrfFrom(form)],
      ['code', CODE],
      ['version', '1.0.0'],
      ['serviceId', serviceId],
      ['monitoringBody', 'nobody'],
      ['targetLevel', '1'],
    ]).expect(422);
    expect(textOf(response.text)).toContain('nobody is not a monitoring body accredited today');
  });

  it('uploads a file to the library from its form, and shows its hash and revision', async () => {
    const form = await open(provider.agent, `${org()}/evidence/new`);
    const action = decode(/<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(form)![1]);
    const response = await provider.agent
      .post(action)
      .field('title', 'Licence agreement')
      .field('confidentiality', 'monitoring_body')
      .field('confirmation', 'true')
      .attach('file', PDF, { filename: 'licence.pdf', contentType: 'application/pdf' })
      .redirects(0)
      .expect(303);
    evidenceId = response.headers.location.split('/').pop()!;
    const page = await open(provider.agent, response.headers.location);
    expect(flashOf(page)).toBe('Licence agreement is in your library.');
    expect(textOf(page)).toContain('licence.pdf');
    expect(page).toContain(createHash('sha256').update(PDF).digest('hex'));
  });

  it('shows a mistake in one of the evidence forms on that form only, with what was typed in it', async () => {
    const form = await open(provider.agent, `${org()}/evidence/new`);
    const response = await postForm(provider.agent, `${org()}/evidence`, [
      ['_csrf', csrfFrom(form)],
      ['kind', 'link'],
      ['title', ''],
      ['url', 'https://example.org/terms'],
    ]).expect(400);
    expect(attribute(elementWithId(response.text, 'link-title-input'), 'aria-invalid')).toBe('true');
    expect(attribute(elementWithId(response.text, 'link-url'), 'value')).toBe('https://example.org/terms');
    for (const other of ['file-title-input', 'text-title-input']) {
      expect(attribute(elementWithId(response.text, other), 'aria-invalid')).toBeUndefined();
    }
    expect(response.text.match(/https:\/\/example\.org\/terms/g)).toHaveLength(1);
  });

  it('refuses an upload without the form token', async () => {
    await provider.agent
      .post(`${org()}/evidence`)
      .field('title', 'No token')
      .attach('file', PDF, { filename: 'x.pdf', contentType: 'application/pdf' })
      .redirects(0)
      .expect(403);
    const [{ count }] = await t.sql<{ count: number }>(`SELECT count(*)::int AS count FROM evidence WHERE title = 'No token'`);
    expect(count).toBe(0);
  });

  it('saves a section in one post, reuses one piece of evidence, and shows the progress of each section', async () => {
    const first = await open(provider.agent, assessmentPath);
    const [section] = sectionsOf(first);
    const keys = cardsOf(first);
    expect(keys.length).toBeGreaterThan(1);
    const fields: Array<[string, string]> = [['_csrf', csrfFrom(first)]];
    for (const key of keys) {
      fields.push([`answers[${key}][version]`, hiddenVersion(first, key)], [`answers[${key}][claim]`, 'met'], [`answers[${key}][statement]`, `How we meet ${key}.`], [`answers[${key}][addEvidence]`, evidenceId]);
    }
    const saved = await postForm(provider.agent, `${assessmentPath}/sections/${section}`, fields).redirects(0).expect(303);
    const after = await open(provider.agent, saved.headers.location);
    expect(flashOf(after)).toBe(`Saved ${keys.join(', ')}.`);
    expect(textOf(after)).toContain(`Answered: ${keys.length} of`);
    const evidencePage = await open(provider.agent, `${org()}/evidence/${evidenceId}`);
    for (const key of keys) expect(textOf(evidencePage)).toContain(`${key} in Kids Chat`);
  });

  it('keeps both people’s work when two save the same answer: the second sees who saved and what', async () => {
    const mine = await open(provider.agent, assessmentPath);
    const theirs = await open(editor, assessmentPath);
    const [section] = sectionsOf(mine);
    const [key] = cardsOf(mine);
    await postForm(editor, `${assessmentPath}/sections/${section}`, [
      ['_csrf', csrfFrom(theirs)],
      [`answers[${key}][version]`, hiddenVersion(theirs, key)],
      [`answers[${key}][claim]`, 'partially_met'],
      [`answers[${key}][statement]`, 'Their statement.'],
    ])
      .redirects(0)
      .expect(303);
    const conflict = await postForm(provider.agent, `${assessmentPath}/sections/${section}`, [
      ['_csrf', csrfFrom(mine)],
      [`answers[${key}][version]`, hiddenVersion(mine, key)],
      [`answers[${key}][claim]`, 'not_met'],
      [`answers[${key}][statement]`, 'My statement.'],
    ]).expect(409);
    const text = textOf(conflict.text);
    expect(text).toMatch(/saved this answer at .* while you were editing/);
    expect(text).toContain('Their statement.');
    expect(conflict.text).toContain('My statement.</textarea>');
    // Saving the shown form again replaces their version knowingly.
    await postForm(provider.agent, `${assessmentPath}/sections/${section}`, [
      ['_csrf', csrfFrom(conflict.text)],
      [`answers[${key}][version]`, hiddenVersion(conflict.text, key)],
      [`answers[${key}][claim]`, 'met'],
      [`answers[${key}][statement]`, 'My statement, merged with theirs.'],
      [`answers[${key}][evidenceIds][]`, evidenceId],
    ])
      .redirects(0)
      .expect(303);
  });

  it('lists what is missing before submitting, with a link to each gap', async () => {
    const page = await open(provider.agent, `${assessmentPath}/submit`);
    expect(textOf(page)).toMatch(/\d+ gaps remain/);
    expect(page).toMatch(/href="[^"]+\?section=[A-Z]+#req-[A-Z]+-\d+"/);
    expect(page).not.toContain('Sign and submit');
  });

  it('answers every section through its form until progress reaches 100 %, then signs and submits', async () => {
    let page = await open(provider.agent, assessmentPath);
    for (const section of sectionsOf(page)) {
      page = await open(provider.agent, `${assessmentPath}?section=${section}`);
      const fields: Array<[string, string]> = [['_csrf', csrfFrom(page)]];
      for (const key of cardsOf(page)) {
        fields.push([`answers[${key}][version]`, hiddenVersion(page, key)], [`answers[${key}][claim]`, 'met'], [`answers[${key}][statement]`, `How we meet ${key}.`], [`answers[${key}][evidenceIds][]`, evidenceId]);
      }
      await postForm(provider.agent, `${assessmentPath}/sections/${section}`, fields).redirects(0).expect(303);
    }
    page = await open(provider.agent, assessmentPath);
    expect(textOf(page)).toMatch(/Answered: (\d+) of \1 \(100 %\)/);
    expect(textOf(page)).toMatch(/Evidence where required: (\d+) of \1 \(100 %\)/);

    const submitPage = await open(provider.agent, `${assessmentPath}/submit`);
    const unconfirmed = await postForm(provider.agent, `${assessmentPath}/submit`, [
      ['_csrf', csrfFrom(submitPage)],
      ['signatory[name]', 'Olivia Owner'],
      ['signatory[title]', 'Chief Executive Officer'],
    ]).expect(400);
    expect(textOf(unconfirmed.text)).toContain('signatory.confirm must be true');

    const submitted = await postForm(provider.agent, `${assessmentPath}/submit`, [
      ['_csrf', csrfFrom(submitPage)],
      ['signatory[name]', 'Olivia Owner'],
      ['signatory[title]', 'Chief Executive Officer'],
      ['signatory[confirm]', 'true'],
    ])
      .redirects(0)
      .expect(303);
    const done = await open(provider.agent, submitted.headers.location);
    expect(flashOf(done)).toBe('Submitted to Pages Monitor, signed by Olivia Owner. Answers can no longer change unless the monitoring body asks for changes.');
    expect(textOf(done)).toContain('submitted on');
    expect(done).not.toContain('Save this section');
    const report = await open(provider.agent, `${assessmentPath}/report`);
    expect(textOf(report)).toContain('Signed by Olivia Owner, Chief Executive Officer (round 1)');
  });

  it('lists the assessment with its state and progress', async () => {
    const list = await open(provider.agent, `${org()}/assessments`);
    expect(textOf(list)).toMatch(/Kids Chat .* submitted (\d+) \/ \1/);
  });

  it('shows another organization nothing of the provider’s assessments and evidence pages', async () => {
    for (const path of [`${org()}/assessments`, assessmentPath, `${assessmentPath}/submit`, `${assessmentPath}/report`, `${org()}/evidence`, `${org()}/evidence/${evidenceId}`]) {
      const response = await monitor.agent.get(path).expect(404);
      expect(response.text).not.toContain('Kids Chat');
    }
    await request(t.server).get(assessmentPath).redirects(0).expect(303);
  });
});
