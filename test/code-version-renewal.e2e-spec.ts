import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_CODES_DIRECTORY } from '../src/codes/bundled-codes.loader';
import { diffCodes } from '../src/codes/document/code-diff';
import { CodeDocument } from '../src/codes/document/code-document';
import { parseCodeDocument } from '../src/codes/document/parse-code-document';
import { applicableKeys, asCaller, call, CODE, createService, createText, NOT_CHILD_DIRECTED, OPERATOR_ENV, orgPath, saveAnswer, startAssessment, type AssessmentBody } from './support/assessment-fixtures';
import { attribute, csrfFrom, decode, open, postForm, textOf } from './support/html';
import { monitoringBody, registerEntryOfService, verifiedAssessment, type Team } from './support/review-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { SIGNATORY } from './support/verification-fixtures';

/** A page's text as read, without the space textOf leaves between a closing tag and punctuation. */
const read = (html: string) => textOf(html).replace(/\s+([,.])/g, '$1');

function bundled(version: string): CodeDocument {
  const parsed = parseCodeDocument(readFileSync(join(BUNDLED_CODES_DIRECTORY, `${CODE}-${version}.yaml`), 'utf8'));
  if (!parsed.valid) throw new Error(`${CODE} ${version} does not parse`);
  return parsed.document;
}

/**
 * With 1.0.0 and 1.1.0 of the bundled code both published: new declarations and renewals move to 1.1.0,
 * carrying answers forward by requirement key, while declarations under way and verified entries stay
 * on the version they were made against.
 */
describe('a new version of the bundled code', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  const diff = diffCodes(bundled('1.0.0'), bundled('1.1.0'));
  const changed = new Set(diff.changed.map((entry) => entry.key));

  beforeAll(async () => {
    t = await createTestApp(OPERATOR_ENV);
    provider = await t.signUp({ organization: 'Renewing Provider' });
    team = await monitoringBody(t, 'Renewing Monitor');
  }, 90_000);
  afterAll(() => t.close());

  const org = () => `/app/${provider.organization.slug}`;
  const who = () => asCaller(provider);
  const assessment = async (id: string) => (await call(t, who(), 'get', `${orgPath(provider.organization.slug)}/assessments/${id}`).expect(200)).body as AssessmentBody;

  it('renews a verification made under 1.0.0 as a draft under 1.1.0, carrying the answers forward by key', async () => {
    const verified = await verifiedAssessment(t, provider, team);
    expect(verified.assessment.code.version).toBe('1.0.0');

    // The workspace's Renew button opens the start form on the current version, filled in from the declaration.
    const workspace = await open(provider.agent, `${org()}/assessments/${verified.assessment.id}`);
    const renew = decode(/<a href="([^"]+)" role="button">Renew<\/a>/.exec(workspace)![1]);
    const query = new URL(renew, 'http://localhost').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      code: CODE,
      version: '1.1.0',
      serviceId: verified.serviceId,
      monitoringBody: team.monitor.organization.slug,
      targetLevel: '2',
      copyFrom: verified.assessment.id,
    });
    const form = await open(provider.agent, renew);
    expect(read(form)).toContain('Code: Code of Conduct for Online CSEA Detection Tools 1.1.0, its current version');
    expect(attribute(/<input type="hidden" name="version"[^>]*>/.exec(form)?.[0], 'value')).toBe('1.1.0');
    const started = await postForm(provider.agent, `${org()}/assessments`, [['_csrf', csrfFrom(form)], ...query.entries()]).redirects(0).expect(303);
    const renewal = await assessment(started.headers.location.split('/').pop()!);

    expect(renewal).toMatchObject({ state: 'draft', code: { slug: CODE, version: '1.1.0' }, targetLevel: 2 });
    expect(renewal.answers.map((answer) => answer.requirementKey)).toEqual(await applicableKeys(t, who(), provider.organization.slug, verified.serviceId, '1.1.0'));
    const earlier = new Map(verified.assessment.answers.map((answer) => [answer.requirementKey, answer]));
    const carried = { copied: 0, changed: 0, new: 0 };
    for (const answer of renewal.answers) {
      const before = earlier.get(answer.requirementKey);
      if (!before) {
        // Added in 1.1.0, or applying now because the service has not answered the new question on children.
        expect(answer).toMatchObject({ carried: 'new', claim: null, statement: null, evidence: [] });
        carried.new += 1;
        continue;
      }
      const kind = changed.has(answer.requirementKey) ? 'changed' : 'copied';
      expect(answer).toMatchObject({ carried: kind, claim: before.claim, statement: before.statement });
      expect(answer.evidence.map((item) => item.id)).toEqual(before.evidence.map((item) => item.id));
      carried[kind] += 1;
    }
    expect(carried.copied).toBeGreaterThan(20);
    expect(carried.changed).toBeGreaterThan(5);
    for (const key of ['OVS-07', 'SBD-08', 'SBD-09']) expect(renewal.answers.find((answer) => answer.requirementKey === key)).toMatchObject({ carried: 'new' });
    expect(renewal.answers.find((answer) => answer.requirementKey === 'PUR-01')).toMatchObject({ carried: 'copied', statement: 'How we meet PUR-01.' });
    expect(renewal.answers.find((answer) => answer.requirementKey === 'PUR-03')).toMatchObject({ carried: 'changed', statement: 'How we meet PUR-03.' });

    // The verified declaration and its register entry stay on 1.0.0 until the renewal is decided.
    expect(await assessment(verified.assessment.id)).toMatchObject({ state: 'verified', code: { version: '1.0.0' } });
    const [entry] = await t.sql<{ code_version: string; assessment_id: string }>(`SELECT code_version, assessment_id FROM register_entries WHERE service_id = $1`, [verified.serviceId]);
    expect(entry).toEqual({ code_version: '1.0.0', assessment_id: verified.assessment.id });
    expect((await registerEntryOfService(t, verified.serviceId))!.verification_id).toBe(verified.verificationId);
  }, 120_000);

  it('leaves a declaration under way on 1.0.0 on 1.0.0, with the requirements of 1.0.0', async () => {
    const slug = provider.organization.slug;
    const service = await createService(t, who(), slug, NOT_CHILD_DIRECTED);
    const evidence = await createText(t, who(), slug);
    const underWay = await startAssessment(t, who(), slug, { serviceId: service.id, monitoringBody: team.monitor.organization.slug, version: '1.0.0' });
    expect(underWay.code.version).toBe('1.0.0');
    const keys = underWay.answers.map((answer) => answer.requirementKey);
    expect(keys).toEqual(await applicableKeys(t, who(), slug, service.id, '1.0.0'));
    expect(keys).not.toContain('OVS-07');

    for (const answer of underWay.answers) await saveAnswer(t, who(), slug, underWay.id, answer.requirementKey, answer.version, { claim: 'met', statement: 'Met.', evidenceIds: [evidence.id] });
    await call(t, who(), 'post', `${orgPath(slug)}/assessments/${underWay.id}/submit`).send({ signatory: SIGNATORY }).expect(200);
    const submitted = await assessment(underWay.id);
    expect(submitted).toMatchObject({ state: 'submitted', code: { version: '1.0.0' } });
    expect(submitted.answers.map((answer) => answer.requirementKey)).toEqual(keys);
    expect(submitted.answers.every((answer) => answer.carried === null)).toBe(true);
  }, 60_000);

  it('starts a new declaration on 1.1.0 from the start page, which still links to 1.0.0', async () => {
    const form = await open(provider.agent, `${org()}/assessments/new`);
    expect(attribute(/<input type="hidden" name="version"[^>]*>/.exec(form)?.[0], 'value')).toBe('1.1.0');
    expect(read(form)).toContain('1.1.0, its current version');
    expect(read(form)).toContain('Earlier versions still open to declarations: 1.0.0.');
    const earlier = await open(provider.agent, `${org()}/assessments/new?code=${CODE}&version=1.0.0`);
    expect(attribute(/<input type="hidden" name="version"[^>]*>/.exec(earlier)?.[0], 'value')).toBe('1.0.0');
    expect(read(earlier)).toContain('1.0.0, an earlier version');
  });
});
