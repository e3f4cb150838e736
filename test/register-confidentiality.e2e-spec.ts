import request from 'supertest';
import { asCaller, call, CODE, createService, createText, NOT_CHILD_DIRECTED, OPERATOR_ENV, orgPath, pdf, startAssessment, uploadFile, VERSION } from './support/assessment-fixtures';
import { decide, itemsOf, monitoringBody, onReview, openReview, recordFindings, reviewOf, type Team } from './support/review-fixtures';
import { routeTable } from './support/route-table';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { SIGNATORY } from './support/verification-fixtures';

/**
 * Canaries planted in everything confidential: evidence titles, texts and files, the provider's
 * statements, a draft, internal notes and finding comments, reviewers' names and declarations, and a
 * complainant's text and address. No public page or API answer may carry any of them.
 */
const CANARY = {
  evidenceTitle: 'CANARY-EVIDENCE-TITLE-d41c',
  evidenceText: 'CANARY-EVIDENCE-TEXT-91ab',
  fileName: 'canary-file-7f3e.pdf',
  fileContent: 'CANARY-FILE-CONTENT-0c55',
  statement: 'CANARY-STATEMENT-5e2d',
  draft: 'CANARY-DRAFT-STATEMENT-a8b0',
  internalNote: 'CANARY-INTERNAL-NOTE-33f1',
  findingComment: 'CANARY-FINDING-COMMENT-b7c9',
  reviewerName: 'Canaryreviewer Quillfeather',
  secondName: 'Canarysecond Marrowdale',
  declaration: 'CANARY-DECLARATION-6d0e',
  complaintText: 'CANARY-COMPLAINT-TEXT-e4f2',
  complainantEmail: 'canary-complainant-2b71@example.org',
};

const PUBLIC_TITLE = 'Published transparency report 2026';

describe('the public register never shows anything confidential', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  let entryId: string;
  let complaint: { reference: string; secret: string };
  const anonymous = () => request(t.server);

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Confidential Provider' });
    team = await monitoringBody(t, 'Careful Monitoring');
    await t.sql(`UPDATE users SET name = $2 WHERE id = $1`, [team.lead.userId, CANARY.reviewerName]);
    await t.sql(`UPDATE users SET name = $2 WHERE id = $1`, [team.second.userId, CANARY.secondName]);
    const who = asCaller(provider);
    const slug = provider.organization.slug;

    const confidential = await createText(t, who, slug, { title: CANARY.evidenceTitle, text: CANARY.evidenceText });
    const published = await createText(t, who, slug, { title: PUBLIC_TITLE, text: 'Our yearly figures.', confidentiality: 'public' });
    const file = await uploadFile(t, who, slug, pdf(CANARY.fileContent), CANARY.fileName, { title: 'Scanned licence' });
    const service = await createService(t, who, slug, NOT_CHILD_DIRECTED, 'Careful Scanner');
    const started = await startAssessment(t, who, slug, { serviceId: service.id, monitoringBody: team.monitor.organization.slug, targetLevel: 2 });
    const answers = started.answers.map((answer) => ({
      requirementKey: answer.requirementKey,
      version: answer.version,
      claim: 'met',
      statement: `${CANARY.statement} for ${answer.requirementKey}`,
      justification: null,
      evidenceIds: [confidential.id, published.id, file.id],
    }));
    await call(t, who, 'put', `${orgPath(slug)}/assessments/${started.id}/answers`).send({ answers }).expect(200);
    await call(t, who, 'post', `${orgPath(slug)}/assessments/${started.id}/submit`).send({ signatory: SIGNATORY }).expect(200);

    // A draft of another service, never submitted.
    const other = await createService(t, who, slug, NOT_CHILD_DIRECTED, 'Unfinished Service');
    const draft = await startAssessment(t, who, slug, { serviceId: other.id, monitoringBody: team.monitor.organization.slug });
    const [first] = draft.answers;
    await call(t, who, 'put', `${orgPath(slug)}/assessments/${draft.id}/answers/${first.requirementKey}`).send({ claim: 'met', statement: CANARY.draft, version: first.version }).expect(200);

    const id = started.id;
    await onReview(t, team, team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: team.second.userId }).expect(200);
    for (const reviewer of [team.lead, team.second]) {
      await onReview(t, team, asCaller(reviewer), 'post', `/${id}/declaration`).send({ conflict: false, statement: CANARY.declaration }).expect(201);
    }
    await recordFindings(t, team, id);
    const [item] = itemsOf(await reviewOf(t, team, id));
    await onReview(t, team, asCaller(team.lead), 'put', `/${id}/findings/${item.key}`)
      .send({ verdict: 'accepted', comment: CANARY.findingComment, internalNote: CANARY.internalNote, version: item.finding!.version })
      .expect(200);
    await decide(t, team, id, { publicSummary: 'Verified on the evidence listed.' });
    [{ id: entryId }] = await t.sql<{ id: string }>(`SELECT id FROM register_entries WHERE assessment_id = $1`, [id]);

    const filed = await anonymous().post(`/api/v1/register/${entryId}/complaints`).send({ category: 'other', text: CANARY.complaintText, email: CANARY.complainantEmail }).expect(201);
    complaint = { reference: filed.body.reference, secret: filed.body.secret };
    const [{ id: complaintId, version }] = await t.sql<{ id: string; version: number }>(`SELECT id, version FROM complaints WHERE reference = $1`, [complaint.reference]);
    await call(t, team.admin, 'post', `${orgPath(team.monitor.organization.slug)}/complaints/${complaintId}/status`)
      .send({ status: 'dismissed', publicOutcome: 'The entry is accurate.', version })
      .expect(200);
  }, 180_000);
  afterAll(() => t.close());

  /** Every public GET route the application declares, with its parameters filled in. */
  function publicPaths(): string[] {
    const values: Record<string, string> = { id: entryId, code: CODE, version: VERSION };
    return routeTable(t.app)
      .filter((route) => route.method === 'GET' && route.rule?.kind === 'public')
      .filter((route) => !/:token/.test(route.path))
      .map((route) => route.path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? `:${name}`));
  }

  /** The body as text, with every JWS in it decoded, so that a signed payload is read too. */
  function readable(text: string): string {
    const tokens = text.match(/[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g) ?? [];
    return [text, ...tokens.flatMap((token) => token.split('.').slice(0, 2).map((part) => Buffer.from(part, 'base64url').toString('utf8')))].join('\n');
  }

  function expectNoCanary(where: string, text: string): void {
    const found = Object.values(CANARY).filter((canary) => text.toLowerCase().includes(canary.toLowerCase()));
    expect({ where, found }).toEqual({ where, found: [] });
  }

  it('the confidential facts were really planted', async () => {
    const [evidence] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM evidence WHERE title = $1`, [CANARY.evidenceTitle]);
    const [note] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM finding_notes WHERE note = $1`, [CANARY.internalNote]);
    const [complaints] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM complaints WHERE text = $1 AND email = $2`, [CANARY.complaintText, CANARY.complainantEmail]);
    expect([evidence.n, note.n, complaints.n]).toEqual([1, 1, 1]);
  });

  it('no public page or API answer carries a canary', async () => {
    const paths = publicPaths();
    expect(paths).toEqual(expect.arrayContaining(['/register', `/register/${entryId}`, '/api/v1/register.csv', `/api/v1/register/${entryId}/attestation`, '/api/v1/register/events', '/register/statistics']));
    for (const path of paths) {
      for (const accept of ['text/html', 'application/json']) {
        const response = await anonymous().get(path).set('Accept', accept);
        expect({ path, status: response.status < 500 }).toEqual({ path, status: true });
        expectNoCanary(`${accept} ${path}`, readable(response.text ?? response.body?.toString() ?? ''));
      }
    }
  });

  it('searching for a confidential word finds nothing', async () => {
    for (const canary of Object.values(CANARY)) {
      expect((await anonymous().get(`/api/v1/register?q=${encodeURIComponent(canary)}`).expect(200)).body.total).toBe(0);
    }
    expect((await anonymous().get(`/api/v1/register?q=${encodeURIComponent('transparency report')}`).expect(200)).body.total).toBe(0);
    expect((await anonymous().get(`/api/v1/register?q=careful`).expect(200)).body.total).toBe(1);
  });

  it('the entry names public evidence by title and confidential evidence by digest only', async () => {
    const entry = (await anonymous().get(`/api/v1/register/${entryId}`).expect(200)).body;
    expect(entry.evidence.count).toBe(3);
    expect(entry.evidence.items.map((item: { title: string | null }) => item.title).sort()).toEqual([PUBLIC_TITLE, null, null].sort());
    expect((await anonymous().get(`/register/${entryId}`).expect(200)).text).toContain(PUBLIC_TITLE);
  });

  it('the verifier’s answer about a genuine attestation carries no canary', async () => {
    const attestation = (await anonymous().get(`/api/v1/register/${entryId}/attestation`).set('Accept', 'application/json').expect(200)).body.attestation as string;
    const verified = await anonymous().post('/api/v1/register/verify').send({ attestation }).expect(200);
    expectNoCanary('POST /api/v1/register/verify', readable(verified.text));
  });

  it('the complaint’s outcome is public, but its text and complainant are not', async () => {
    const entry = (await anonymous().get(`/api/v1/register/${entryId}`).expect(200)).body;
    expect(entry.complaints.outcomes).toEqual([expect.objectContaining({ status: 'dismissed', publicOutcome: 'The entry is accurate.' })]);
    expectNoCanary('entry with complaint', JSON.stringify(entry));
    expect(JSON.stringify(entry)).not.toContain(complaint.reference);
  });
});
