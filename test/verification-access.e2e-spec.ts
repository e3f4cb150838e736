import { asCaller, call, createService, createText, createToken, NOT_CHILD_DIRECTED, OPERATOR_ENV, orgPath, startAssessment, UNKNOWN_ID, type Caller, type EvidenceBody } from './support/assessment-fixtures';
import { asApplication, itemsOf, monitoringBody, onAssessment, onReview, openReview, reviewOf, type Team } from './support/review-fixtures';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';
import { answerAll, NO_CONFLICT, reviewsPath, submittedAssessment } from './support/verification-fixtures';

/** Who reaches a review, and what of it: tenants, roles, tokens, declarations, evidence, and the monitoring body's notes. */
describe('verification: access and isolation', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  /** A monitoring body accredited for the same code, which the provider did not choose. */
  let other: Team;
  /** A reviewer of the chosen monitoring body who is not assigned. */
  let bystander: Member;
  let id: string;
  let evidence: EvidenceBody;
  /** Evidence of the same provider that no submission names. */
  let unlinked: EvidenceBody;
  let draftId: string;

  const COMMENT = 'Comment for the provider: name the licensing criteria.';
  const NOTE = 'Internal note: the auditor who signed this left the firm in May.';

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Isolated Provider' });
    team = await monitoringBody(t, 'Chosen Monitor');
    other = await monitoringBody(t, 'Unchosen Monitor');
    bystander = await t.addMember(team.monitor, 'reviewer');
    const submitted = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
    ({ id } = submitted.assessment);
    ({ evidence } = submitted);
    unlinked = await createText(t, asCaller(provider), provider.organization.slug, { title: 'Unrelated evidence', text: 'Not part of any submission.' });
    // A later revision of the linked evidence: the submission still names revision 1 only.
    await call(t, asCaller(provider), 'post', `${orgPath(provider.organization.slug)}/evidence/${evidence.id}/revisions`).send({ text: 'Revised after submission.' }).expect(201);
    const draftService = await createService(t, asCaller(provider), provider.organization.slug, NOT_CHILD_DIRECTED);
    const draft = await startAssessment(t, asCaller(provider), provider.organization.slug, { serviceId: draftService.id, monitoringBody: team.monitor.organization.slug });
    await answerAll(t, asCaller(provider), provider.organization.slug, draft, evidence.id);
    draftId = draft.id;
  }, 90_000);
  afterAll(() => t.close());

  /** Every route of one review, with a body that would be accepted from the right person at the right time. */
  const routes = (reviewId: string, key = 'PUR-01', section = 'PUR'): Array<[method: 'get' | 'post' | 'put', path: string, body?: Record<string, unknown>]> => [
    ['get', `/${reviewId}`],
    ['post', `/${reviewId}/assign`, { lead: other.lead.userId, second: other.second.userId }],
    ['post', `/${reviewId}/declaration`, NO_CONFLICT],
    ['get', `/${reviewId}/evidence/${evidence.id}/revisions/1/content`],
    ['put', `/${reviewId}/findings/${key}`, { verdict: 'accepted' }],
    ['put', `/${reviewId}/sections/${section}/summary`, { publicSummary: 'Probe.' }],
    ['post', `/${reviewId}/request-changes`, {}],
    ['post', `/${reviewId}/decision`, { outcome: 'rejected', publicSummary: 'Probe.' }],
    ['post', `/${reviewId}/decision/approve`, {}],
    ['post', `/${reviewId}/decision/return`, { reason: 'Probe.' }],
    ['post', `/${reviewId}/suspend`, { reason: 'Probe.' }],
    ['post', `/${reviewId}/reinstate`, {}],
    ['post', `/${reviewId}/revoke`, { reason: 'Probe.' }],
  ];

  /** Calls every route of the review as `who` under `team`'s path, expecting `status` and nothing of the provider in the answer. */
  async function expectEverywhere(on: Team, who: Caller, reviewId: string, status: number, only?: (path: string) => boolean): Promise<void> {
    for (const [method, path, body] of routes(reviewId).filter(([, path]) => !only || only(path))) {
      const request = onReview(t, on, who, method, path);
      const response = await (body ? request.send(body) : request);
      expect({ route: `${method} ${path}`, status: response.status }).toEqual({ route: `${method} ${path}`, status });
      expect(response.text).not.toContain(provider.organization.name);
      expect(response.text).not.toContain('How we meet');
    }
  }

  describe('tenants', () => {
    it('a monitoring body the provider did not choose gets 404 on every review route, and its queue does not list it', async () => {
      await expectEverywhere(other, other.admin, id, 404);
      // Its reviewers too, on every route their role opens (the others are refused by role, before any lookup).
      await expectEverywhere(other, asCaller(other.lead), id, 404, (path) => !/\/(assign|suspend|reinstate|revoke)$/.test(path));
      const missing = await onReview(t, other, other.admin, 'get', `/${id}`).expect(404);
      expect(missing.body).toEqual({ statusCode: 404, code: 'assessment.not_found', error: 'Not Found', message: 'No such assessment has been submitted to this monitoring body.' });
      const queue = await onReview(t, other, other.admin, 'get', '?state=all').expect(200);
      expect(queue.body).toEqual([]);
      // Nor can it use the chosen body's path: it is not a member there.
      await expectEverywhere(team, other.admin, id, 404);
      expect(await t.sql(`SELECT * FROM reviews WHERE assessment_id = $1`, [id])).toEqual([]);
      expect(await t.sql(`SELECT * FROM review_declarations WHERE assessment_id = $1`, [id])).toEqual([]);
    });

    it('a provider’s member gets 404 on the monitoring body’s routes, and 403 on its own organization’s', async () => {
      await expectEverywhere(team, asCaller(provider), id, 404);
      await onReview(t, team, asCaller(provider), 'get', '').expect(404);
      await call(t, asCaller(provider), 'get', `${orgPath(provider.organization.slug)}/reviews/${id}`).expect(403);
      await call(t, asCaller(provider), 'get', `${orgPath(team.monitor.organization.slug)}/reports`).expect(404);
      await call(t, asCaller(provider), 'get', `${orgPath(provider.organization.slug)}/reports`).expect(403);
    });

    it('drafts are not the monitoring body’s business: a draft id is a 404 and the queue does not list it', async () => {
      await expectEverywhere(team, team.admin, draftId, 404);
      const queue = await onReview(t, team, team.admin, 'get', '?state=all').expect(200);
      expect(queue.body.map((item: { id: string }) => item.id)).toEqual([id]);
      const seen = await asApplication<{ id: string }>(t, { organizationId: team.monitor.organization.id, userId: team.monitor.user.id }, `SELECT id FROM assessments`);
      expect(seen).toEqual([{ id }]);
    });

    it('an unknown or malformed id is a 404 or a 400, never a server error', async () => {
      await onReview(t, team, team.admin, 'get', `/${UNKNOWN_ID}`).expect(404);
      await onReview(t, team, team.admin, 'get', '/not-a-uuid').expect(400);
      await onReview(t, team, team.admin, 'get', `/${id}/evidence/${evidence.id}/revisions/0/content`).expect(400);
    });
  });

  describe('roles and tokens', () => {
    it('a reviewer reads the queue but cannot assign, suspend, reinstate, revoke or read the reports', async () => {
      const reviewer = asCaller(bystander);
      expect((await onReview(t, team, reviewer, 'get', '').expect(200)).body.map((item: { id: string }) => item.id)).toContain(id);
      for (const [path, body] of [
        [`/${id}/assign`, { lead: team.lead.userId, second: team.second.userId }],
        [`/${id}/suspend`, { reason: 'Probe.' }],
        [`/${id}/reinstate`, {}],
        [`/${id}/revoke`, { reason: 'Probe.' }],
      ] as const) {
        const refused = await onReview(t, team, reviewer, 'post', path).send(body).expect(403);
        expect(refused.body.message).toMatch(/^Your role \(reviewer\) does not allow /);
      }
      await call(t, reviewer, 'get', `${orgPath(team.monitor.organization.slug)}/reports`).expect(403);
      await call(t, reviewer, 'get', `${orgPath(team.monitor.organization.slug)}/reports.csv`).expect(403);
    });

    it('the monitoring body’s API tokens read the queue and a review, but never assign, declare, record or decide', async () => {
      const read = { token: await createToken(team.monitor, ['read']) };
      const write = { token: await createToken(team.monitor, ['read', 'write']) };
      for (const token of [read, write]) {
        const queue = await onReview(t, team, token, 'get', '').expect(200);
        expect(queue.body.map((item: { id: string }) => item.id)).toContain(id);
        const detail = await onReview(t, team, token, 'get', `/${id}`).expect(200);
        expect(detail.body).toMatchObject({ id, declarationRequired: true, you: { declared: false, role: null } });
        expect(detail.body).not.toHaveProperty('sections');
        await call(t, token, 'get', `${orgPath(team.monitor.organization.slug)}/reports`).expect(200);
        for (const [method, path, body] of routes(id).filter(([method]) => method !== 'get')) {
          const refused = await onReview(t, team, token, method, path).send(body ?? {});
          expect({ route: path, status: refused.status }).toEqual({ route: path, status: 403 });
        }
        await onReview(t, team, token, 'get', `/${id}/evidence/${evidence.id}/revisions/1/content`).expect(403);
      }
      expect(await t.sql(`SELECT * FROM review_declarations WHERE assessment_id = $1`, [id])).toEqual([]);
      expect(await t.sql(`SELECT * FROM reviews WHERE assessment_id = $1`, [id])).toEqual([]);
    });

    it('a provider’s API token cannot read reports either', async () => {
      const token = { token: await createToken(provider, ['read']) };
      await call(t, token, 'get', `${orgPath(provider.organization.slug)}/reports`).expect(403);
      await call(t, token, 'get', `${orgPath(team.monitor.organization.slug)}/reports`).expect(404);
    });
  });

  describe('the submission and its evidence', () => {
    beforeAll(async () => {
      await openReview(t, team, id);
      await onReview(t, team, asCaller(bystander), 'post', `/${id}/declaration`).send(NO_CONFLICT).expect(201);
    });

    it('an assigned reviewer downloads only the evidence revisions this submission names', async () => {
      const lead = asCaller(team.lead);
      const content = await onReview(t, team, lead, 'get', `/${id}/evidence/${evidence.id}/revisions/1/content`).expect(200);
      expect(content.text).toContain('vetted organisations');
      expect(content.headers['x-content-type-options']).toBe('nosniff');
      const notNamed = await onReview(t, team, lead, 'get', `/${id}/evidence/${unlinked.id}/revisions/1/content`).expect(404);
      expect(notNamed.body.message).toBe('No submission of this assessment names revision 1 of that evidence.');
      await onReview(t, team, lead, 'get', `/${id}/evidence/${evidence.id}/revisions/2/content`).expect(404);
      await onReview(t, team, lead, 'get', `/${id}/evidence/${UNKNOWN_ID}/revisions/1/content`).expect(404);
      // Declared but not assigned: the submission, yes; the evidence, no.
      expect(itemsOf(await reviewOf(t, team, id, asCaller(bystander))).length).toBeGreaterThan(0);
      await onReview(t, team, asCaller(bystander), 'get', `/${id}/evidence/${evidence.id}/revisions/1/content`).expect(403);
    });

    it('row-level security shows an assigned, declared reviewer only the named revisions, and no one else any', async () => {
      const revisions = (userId: string, organizationId = team.monitor.organization.id) =>
        asApplication<{ evidence_id: string; number: number }>(t, { organizationId, userId }, `SELECT evidence_id, number FROM evidence_revisions ORDER BY evidence_id, number`);
      expect(await revisions(team.lead.userId)).toEqual([{ evidence_id: evidence.id, number: 1 }]);
      expect(await revisions(team.second.userId)).toEqual([{ evidence_id: evidence.id, number: 1 }]);
      expect(await revisions(bystander.userId)).toEqual([]);
      expect(await revisions(team.monitor.user.id)).toEqual([]);
      expect(await revisions(team.lead.userId, other.monitor.organization.id)).toEqual([]);
      expect(await revisions('')).toEqual([]);
      // The evidence containers themselves stay the provider's.
      expect(await asApplication(t, { organizationId: team.monitor.organization.id, userId: team.lead.userId }, `SELECT id FROM evidence`)).toEqual([]);
      // The provider itself sees all of its revisions.
      const own = await asApplication<{ n: number }>(t, { organizationId: provider.organization.id, userId: provider.user.id }, `SELECT count(*)::int AS n FROM evidence_revisions`);
      expect(own).toEqual([{ n: 3 }]);
    });

    it('row-level security opens the submission only to members who declared no conflict', async () => {
      const submissions = (userId: string) => asApplication(t, { organizationId: team.monitor.organization.id, userId }, `SELECT assessment_id FROM assessment_submissions`);
      expect(await submissions(team.lead.userId)).toEqual([{ assessment_id: id }]);
      expect(await submissions(bystander.userId)).toEqual([{ assessment_id: id }]);
      expect(await submissions(team.monitor.user.id)).toEqual([]);
      expect(await asApplication(t, { organizationId: other.monitor.organization.id, userId: other.lead.userId }, `SELECT assessment_id FROM assessment_submissions`)).toEqual([]);
    });
  });

  describe('the monitoring body’s internal notes', () => {
    /** Everything the provider's API shows about the assessment. */
    async function providerResponses(): Promise<string> {
      const paths = [`/${id}`, `/${id}/review`, `/${id}/submissions`, `/${id}/export.json`, `/${id}/export.csv`, ''];
      const texts = await Promise.all(paths.map(async (path) => (await onAssessment(t, provider, 'get', path).expect(200)).text));
      return texts.join('\n');
    }
    const asProvider = (sql: string) => asApplication(t, { organizationId: provider.organization.id, userId: provider.user.id }, sql);

    it('are never shown to the provider, before or after findings are released', async () => {
      const items = itemsOf(await reviewOf(t, team, id));
      const [first, ...rest] = items;
      await onReview(t, team, asCaller(team.lead), 'put', `/${id}/findings/${first.key}`).send({ verdict: 'changes_requested', comment: COMMENT, internalNote: NOTE }).expect(200);
      for (const item of rest) await onReview(t, team, asCaller(team.lead), 'put', `/${id}/findings/${item.key}`).send({ verdict: 'accepted', internalNote: `${NOTE} (${item.key})` }).expect(200);
      // The monitoring body reads its note.
      expect(itemsOf(await reviewOf(t, team, id))[0].finding).toMatchObject({ comment: COMMENT, internalNote: NOTE });

      const before = await providerResponses();
      expect(before).not.toContain(NOTE);
      expect(before).not.toContain(COMMENT);
      expect(await asProvider(`SELECT * FROM finding_notes`)).toEqual([]);
      expect(await asProvider(`SELECT * FROM findings`)).toEqual([]);
      expect(await asProvider(`SELECT * FROM decisions`)).toEqual([]);
      expect(await asProvider(`SELECT * FROM reviews`)).toEqual([]);
      expect(await asProvider(`SELECT * FROM review_declarations`)).toEqual([]);

      await onReview(t, team, asCaller(team.lead), 'post', `/${id}/request-changes`).send({}).expect(200);
      const after = await providerResponses();
      expect(after).toContain(COMMENT);
      expect(after).not.toContain('Internal note');
      const standing = await onAssessment(t, provider, 'get', `/${id}/review`).expect(200);
      expect(standing.body.findings).toContainEqual({ requirementKey: first.key, round: 1, verdict: 'changes_requested', comment: COMMENT });
      expect(await asProvider(`SELECT * FROM finding_notes`)).toEqual([]);
      const released = await asProvider(`SELECT requirement_key, released FROM findings`);
      expect(released).toHaveLength(items.length);
      expect(released.every((row) => row.released === true)).toBe(true);
      // The notes are all still there, for the monitoring body.
      const [notes] = await asApplication<{ n: number }>(t, { organizationId: team.monitor.organization.id, userId: team.lead.userId }, `SELECT count(*)::int AS n FROM finding_notes`);
      expect(notes.n).toBe(items.length);
      // Another monitoring body sees none of them.
      expect(await asApplication(t, { organizationId: other.monitor.organization.id }, `SELECT * FROM findings`)).toEqual([]);
      expect(await asApplication(t, { organizationId: other.monitor.organization.id }, `SELECT * FROM finding_notes`)).toEqual([]);
    }, 30_000);

    it('the provider’s pages do not show them either', async () => {
      const page = await provider.agent.get(`/app/${provider.organization.slug}/assessments/${id}`).expect(200);
      expect(page.text).toContain(COMMENT);
      expect(page.text).not.toContain('Internal note');
    });
  });

  it('the reviews path of an organization that does not exist is the same 404 as another’s', async () => {
    const missing = await call(t, other.admin, 'get', `${orgPath('no-such-monitor')}/reviews/${id}`).expect(404);
    const foreign = await call(t, other.admin, 'get', `${reviewsPath(team.monitor)}/${id}`).expect(404);
    expect(foreign.body).toEqual(missing.body);
  });
});
