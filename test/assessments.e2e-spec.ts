import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  accredit,
  applicableKeys,
  AssessmentBody,
  asCaller,
  call,
  Caller,
  CHILD_DIRECTED,
  CODE,
  createLink,
  createService,
  createText,
  createToken,
  day,
  EvidenceBody,
  getAssessment,
  NO_SUCH_ORGANIZATION,
  OPERATOR,
  OPERATOR_ENV,
  orgPath,
  pdf,
  saveAnswer,
  sha256,
  startAssessment,
  UNKNOWN_ID,
  uploadFile,
  uploadRequest,
  UUID,
  VERSION,
} from './support/assessment-fixtures';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';

const FIXTURES = join(__dirname, 'fixtures', 'codes');

interface PlannedAnswer {
  requirementKey: string;
  version: number;
  claim: string;
  statement: string | null;
  justification: string | null;
  evidenceIds: string[];
}

/** What a gap's problem says, by kind. */
const NO_CLAIM = /no claim/;
const NO_JUSTIFICATION = /not applicable without a justification/;
const NO_EVIDENCE = /evidence is required and none is linked/;
const NOT_CURRENT = /evidence is required and the linked evidence is not current/;

describe('assessments', () => {
  let t: TestApp;
  let owner: Actor;
  let editor: Member;
  let viewer: Member;
  let other: Actor;
  let monitor: Actor;
  let idleMonitor: Actor;
  let ownerCaller: Caller;
  let editorCaller: Caller;
  let viewerCaller: Caller;
  let readToken: Caller;
  let writeToken: Caller;
  let editorName: string;
  let ownerName: string;

  // Booting the application and signing everyone up takes a while on a busy machine.
  beforeAll(async () => {
    t = await createTestApp(OPERATOR_ENV);
    owner = await t.signUp({ organization: 'Assessing Provider', name: 'Olivia Owner' });
    other = await t.signUp({ organization: 'Other Provider' });
    monitor = await t.signUp({ organization: 'Accredited Monitor', kind: 'monitoring_body' });
    idleMonitor = await t.signUp({ organization: 'Idle Monitor', kind: 'monitoring_body' });
    editor = await t.addMember(owner, 'editor');
    viewer = await t.addMember(owner, 'viewer');
    await accredit(t, monitor);
    ownerCaller = asCaller(owner);
    editorCaller = asCaller(editor);
    viewerCaller = asCaller(viewer);
    readToken = { token: await createToken(owner, ['read']) };
    writeToken = { token: await createToken(owner, ['write']) };
    editorName = (await t.sql<{ name: string }>('SELECT name FROM users WHERE id = $1', [editor.userId]))[0].name;
    ownerName = owner.user.name;
  }, 90_000);
  afterAll(() => t.close());

  const slug = () => owner.organization.slug;
  const assessmentsPath = () => `${orgPath(slug())}/assessments`;
  const assessmentPath = (id: string) => `${assessmentsPath()}/${id}`;
  const newService = (profile: Record<string, unknown> = CHILD_DIRECTED, name?: string) => createService(t, ownerCaller, slug(), profile, name);
  const start = async (serviceId?: string, extra: { targetLevel?: number; copyFrom?: string } = {}) =>
    startAssessment(t, ownerCaller, slug(), { serviceId: serviceId ?? (await newService()).id, monitoringBody: monitor.organization.slug, ...extra });
  const read = (id: string, who: Caller = ownerCaller) => getAssessment(t, who, slug(), id);
  const answerOf = (assessment: AssessmentBody, key: string) => assessment.answers.find((answer) => answer.requirementKey === key)!;
  const put = (id: string, key: string, body: Record<string, unknown>, who: Caller = ownerCaller) => call(t, who, 'put', `${assessmentPath(id)}/answers/${key}`).send(body);
  const putMany = (id: string, answers: ReadonlyArray<object>, who: Caller = ownerCaller) => call(t, who, 'put', `${assessmentPath(id)}/answers`).send({ answers });
  /** Submits, signed by the owner unless another signatory is given; `null` sends no signatory at all. */
  const submit = (id: string, who: Caller = ownerCaller, signatory: unknown = { name: 'Olivia Owner', title: 'Chief Executive Officer', confirm: true }) =>
    call(t, who, 'post', `${assessmentPath(id)}/submit`).send(signatory === null ? {} : { signatory });
  const withdraw = (id: string, who: Caller = ownerCaller) => call(t, who, 'post', `${assessmentPath(id)}/withdraw`).send({});
  const counts = async () =>
    (
      await t.sql<{ assessments: number; answers: number; submissions: number; links: number }>(
        `SELECT (SELECT count(*)::int FROM assessments) AS assessments, (SELECT count(*)::int FROM answers) AS answers,
                (SELECT count(*)::int FROM assessment_submissions) AS submissions, (SELECT count(*)::int FROM answer_evidence) AS links`,
      )
    )[0];
  const answerRows = (assessmentId: string) =>
    t.sql<{ requirement_key: string; claim: string | null; statement: string | null; justification: string | null; version: number }>(
      'SELECT requirement_key, claim, statement, justification, version FROM answers WHERE assessment_id = $1 ORDER BY position',
      [assessmentId],
    );

  /** A draft with every requirement answered `met`, backed by a current link where evidence is required: ready to submit. */
  async function readyAssessment(): Promise<AssessmentBody> {
    const assessment = await start();
    const current = await createLink(t, ownerCaller, slug(), { title: 'Current policy' });
    await putMany(
      assessment.id,
      assessment.answers.map((answer) => ({ requirementKey: answer.requirementKey, version: 1, claim: 'met', statement: 'Yes.', evidenceIds: answer.evidenceRequired ? [current.id] : [] })),
    ).expect(200);
    return read(assessment.id);
  }

  /**
   * Answers every requirement in a way that can be submitted: evidence-required ones cycle through
   * met (the shared PDF and the text), partially met (the PDF and the link), not met and not
   * applicable with a justification; the others are met without evidence.
   */
  function completeAnswers(assessment: AssessmentBody, evidence: { pdf: string; link: string; text: string }): PlannedAnswer[] {
    return assessment.answers.map((answer, index) => {
      const base = { requirementKey: answer.requirementKey, version: answer.version, statement: null, justification: null, evidenceIds: [] };
      if (!answer.evidenceRequired) return { ...base, claim: 'met', statement: `${answer.requirementKey}: done without documents.` };
      switch (index % 4) {
        case 0:
          return { ...base, claim: 'met', statement: `${answer.requirementKey}: see our policy.`, evidenceIds: [evidence.pdf, evidence.text] };
        case 1:
          return { ...base, claim: 'partially_met', statement: `${answer.requirementKey}: partly in place.`, evidenceIds: [evidence.pdf, evidence.link] };
        case 2:
          return { ...base, claim: 'not_met', statement: `${answer.requirementKey}: planned for next year.` };
        default:
          return { ...base, claim: 'not_applicable', justification: `${answer.requirementKey} does not concern a tool we only deploy.` };
      }
    });
  }

  describe('starting an assessment', () => {
    it('creates a draft with one empty answer per applicable requirement (201), each a gap', async () => {
      const service = await newService(CHILD_DIRECTED, 'ChatSafe Messenger');
      const applicable = await applicableKeys(t, ownerCaller, slug(), service.id);
      const code = await call(t, ownerCaller, 'get', `/api/v1/codes/${CODE}/versions/${VERSION}`).expect(200);
      const requirements = new Map<string, { key: string; title: string; level: number; evidenceRequired: boolean; section: string }>(
        code.body.sections.flatMap((section: { key: string; requirements: Array<{ key: string; title: string; level: number; evidenceRequired: boolean }> }) =>
          section.requirements.map((requirement) => [requirement.key, { ...requirement, section: section.key }]),
        ),
      );
      const response = await call(t, ownerCaller, 'post', assessmentsPath())
        .send({ serviceId: service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 2 })
        .expect(201);
      const body = response.body as AssessmentBody;
      expect(body).toMatchObject({
        id: expect.stringMatching(UUID),
        state: 'draft',
        round: 1,
        targetLevel: 2,
        service: { id: service.id, name: 'ChatSafe Messenger' },
        code: { slug: CODE, title: 'Code of Conduct for Online CSEA Detection Tools', version: VERSION },
        monitoringBody: { slug: monitor.organization.slug, name: 'Accredited Monitor' },
        submittedAt: null,
        progress: { total: applicable.length, answered: 0, percent: 0 },
      });
      expect(body.answers.map((answer) => answer.requirementKey)).toEqual(applicable);
      expect(applicable.length).toBeGreaterThan(30);
      expect(applicable.length).toBeLessThan(55);
      for (const answer of body.answers) {
        const requirement = requirements.get(answer.requirementKey)!;
        expect(answer).toEqual({
          requirementKey: requirement.key,
          section: requirement.section,
          title: requirement.title,
          level: requirement.level,
          evidenceRequired: requirement.evidenceRequired,
          claim: null,
          statement: null,
          justification: null,
          carried: null,
          version: 1,
          updatedBy: ownerName,
          updatedAt: expect.any(String),
          evidence: [],
        });
      }
      expect(body.gaps).toEqual(applicable.map((key) => ({ requirementKey: key, problem: expect.stringMatching(NO_CLAIM) })));

      const [row] = await t.sql('SELECT organization_id, service_id, state, round, target_level, created_by FROM assessments WHERE id = $1', [body.id]);
      expect(row).toEqual({ organization_id: owner.organization.id, service_id: service.id, state: 'draft', round: 1, target_level: 2, created_by: owner.user.id });
      const audit = await t.sql<{ action: string; actor_user_id: string }>('SELECT action, actor_user_id FROM audit_events WHERE target_id = $1 ORDER BY id', [body.id]);
      expect(audit).toEqual([{ action: 'assessment.started', actor_user_id: owner.user.id }]);
    });

    it('reads back the same assessment, and lists it with its progress, filtered by state, service and code', async () => {
      const service = await newService();
      const started = await start(service.id);
      const again = await read(started.id);
      expect(again).toEqual(started);

      const list = await call(t, ownerCaller, 'get', assessmentsPath()).expect(200);
      const entry = list.body.find((item: { id: string }) => item.id === started.id);
      expect(entry).toEqual({
        id: started.id,
        state: 'draft',
        round: 1,
        targetLevel: 1,
        service: { id: service.id, name: service.name },
        code: started.code,
        monitoringBody: started.monitoringBody,
        progress: { answered: 0, total: started.answers.length },
        submittedAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const byService = await call(t, ownerCaller, 'get', `${assessmentsPath()}?service=${service.id}`).expect(200);
      expect(byService.body.map((item: { id: string }) => item.id)).toEqual([started.id]);
      const byState = await call(t, ownerCaller, 'get', `${assessmentsPath()}?state=submitted&service=${service.id}`).expect(200);
      expect(byState.body).toEqual([]);
      const byCode = await call(t, ownerCaller, 'get', `${assessmentsPath()}?code=${CODE}&service=${service.id}`).expect(200);
      expect(byCode.body.map((item: { id: string }) => item.id)).toEqual([started.id]);
      const otherCode = await call(t, ownerCaller, 'get', `${assessmentsPath()}?code=green-hosting`).expect(200);
      expect(otherCode.body).toEqual([]);
      await call(t, ownerCaller, 'get', `${assessmentsPath()}?state=sleeping`).expect(400);
      await call(t, ownerCaller, 'get', `${assessmentsPath()}/not-a-uuid`).expect(400);
      await call(t, ownerCaller, 'get', `${assessmentsPath()}/${UNKNOWN_ID}`).expect(404);
    });

    it('refuses a monitoring body not accredited for the code (422), and writes nothing', async () => {
      const service = await newService();
      const before = await counts();
      for (const body of [idleMonitor.organization.slug, other.organization.slug, 'no-such-monitor']) {
        const response = await call(t, ownerCaller, 'post', assessmentsPath())
          .send({ serviceId: service.id, code: CODE, version: VERSION, monitoringBody: body, targetLevel: 1 })
          .expect(422);
        expect(response.body).toMatchObject({ statusCode: 422, details: { monitoringBody: [expect.any(String)] } });
        expect(response.body.message).toContain(body);
      }
      expect(await counts()).toEqual(before);
    });

    it('refuses a target level the code does not have (422)', async () => {
      const service = await newService();
      const before = await counts();
      const response = await call(t, ownerCaller, 'post', assessmentsPath())
        .send({ serviceId: service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 4 })
        .expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, details: { targetLevel: [expect.any(String)] } });
      expect(response.body.message).toContain('no level 4');
      // Level 3, the highest, is fine.
      await start(service.id, { targetLevel: 3 });
      expect((await counts()).assessments).toBe(before.assessments + 1);
    });

    it('answers 404 for an unknown service, code or version, and 400 naming each missing field', async () => {
      const service = await newService();
      const base = { serviceId: service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1 };
      const before = await counts();
      await call(t, ownerCaller, 'post', assessmentsPath()).send({ ...base, serviceId: UNKNOWN_ID }).expect(404);
      await call(t, ownerCaller, 'post', assessmentsPath()).send({ ...base, code: 'no-such-code' }).expect(404);
      await call(t, ownerCaller, 'post', assessmentsPath()).send({ ...base, version: '9.9.9' }).expect(404);
      // Another organization's service is as unknown as a missing one.
      const theirs = await createService(t, asCaller(other), other.organization.slug);
      await call(t, ownerCaller, 'post', assessmentsPath()).send({ ...base, serviceId: theirs.id }).expect(404);
      const empty = await call(t, ownerCaller, 'post', assessmentsPath()).send({}).expect(400);
      expect(Object.keys(empty.body.details).sort()).toEqual(['code', 'monitoringBody', 'serviceId', 'targetLevel', 'version']);
      const extra = await call(t, ownerCaller, 'post', assessmentsPath()).send({ ...base, state: 'submitted' }).expect(400);
      expect(Object.keys(extra.body.details)).toEqual(['state']);
      expect(await counts()).toEqual(before);
    });

    it('refuses a second open assessment of the same service and code version (409)', async () => {
      const service = await newService();
      const first = await start(service.id);
      const before = await counts();
      const response = await call(t, ownerCaller, 'post', assessmentsPath())
        .send({ serviceId: service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 2 })
        .expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, details: { existing: first.id } });
      expect(response.body.message).toContain(service.name);
      expect(await counts()).toEqual(before);
    });

    it('refuses a retired code version (422)', async () => {
      const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
      const green = readFileSync(join(FIXTURES, 'green-hosting-1.0.0.yaml'), 'utf8');
      await operator.agent.post('/api/v1/codes').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(green).expect(201);
      await operator.agent.post('/api/v1/codes/green-hosting/versions/1.0.0/publish').set('X-CSRF-Token', operator.csrf).send({}).expect(200);
      await operator.agent
        .post('/api/v1/codes/green-hosting/accreditations')
        .set('X-CSRF-Token', operator.csrf)
        .send({ organization: monitor.organization.slug, validFrom: day(-1), validUntil: day(300) })
        .expect(201);
      const service = await newService({});
      // Published, it can be declared …
      const open = await call(t, ownerCaller, 'post', assessmentsPath())
        .send({ serviceId: service.id, code: 'green-hosting', version: '1.0.0', monitoringBody: monitor.organization.slug, targetLevel: 1 })
        .expect(201);
      await withdraw(open.body.id).expect(200);
      await operator.agent.post('/api/v1/codes/green-hosting/versions/1.0.0/retire').set('X-CSRF-Token', operator.csrf).send({}).expect(200);
      const before = await counts();
      // … retired, it cannot.
      const response = await call(t, ownerCaller, 'post', assessmentsPath())
        .send({ serviceId: service.id, code: 'green-hosting', version: '1.0.0', monitoringBody: monitor.organization.slug, targetLevel: 1 })
        .expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, details: { version: [expect.stringContaining('retired')] } });
      expect(await counts()).toEqual(before);
    });

    it('is for providers only: a monitoring body gets 403, by session or write token', async () => {
      const before = await counts();
      const body = { serviceId: UNKNOWN_ID, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1 };
      await call(t, asCaller(monitor), 'post', `${orgPath(monitor.organization.slug)}/assessments`).send(body).expect(403);
      const monitorToken = await createToken(monitor, ['write']);
      await call(t, { token: monitorToken }, 'post', `${orgPath(monitor.organization.slug)}/assessments`).send(body).expect(403);
      expect(await counts()).toEqual(before);
    });
  });

  describe('the full journey: draft → submit', () => {
    it('answers every requirement, reuses evidence across answers and assessments, reaches 100 % and submits a snapshot of the evidence hashes', async () => {
      const service = await newService(CHILD_DIRECTED, 'Journey Messenger');
      const assessment = await start(service.id, { targetLevel: 2 });
      const total = assessment.answers.length;

      const pdfBytes = pdf('Data Protection Impact Assessment 2026');
      const document = await uploadFile(t, ownerCaller, slug(), pdfBytes, 'dpia-2026.pdf', { title: 'DPIA 2026' });
      const link = await createLink(t, ownerCaller, slug(), { title: 'Transparency report', url: 'https://example.org/transparency' });
      const text = await createText(t, editorCaller, slug(), { title: 'Review policy', text: 'Every flag is reviewed by a trained person.' });
      expect(document.revision.sha256).toBe(sha256(pdfBytes));
      expect(link.revision.sha256).toBe(sha256('https://example.org/transparency'));
      expect(text.revision.sha256).toBe(sha256('Every flag is reviewed by a trained person.'));
      const evidence = { pdf: document.id, link: link.id, text: text.id };
      const planned = completeAnswers(assessment, evidence);
      const claims = new Set(planned.map((answer) => answer.claim));
      expect([...claims].sort()).toEqual(['met', 'not_applicable', 'not_met', 'partially_met']);

      // The first ten one by one (by two people), watching progress grow; the rest in one batch.
      let answered = 0;
      for (const [index, answer] of planned.slice(0, 10).entries()) {
        const { requirementKey, version, ...content } = answer;
        const saved = await saveAnswer(t, index % 2 === 0 ? ownerCaller : editorCaller, slug(), assessment.id, requirementKey, version, content);
        answered += 1;
        expect(saved).toMatchObject({ requirementKey, claim: content.claim, version: 2, updatedBy: index % 2 === 0 ? ownerName : editorName });
        expect(saved.evidence.map((item) => item.id).sort()).toEqual([...content.evidenceIds].sort());
        expect(saved.progress).toMatchObject({ total, answered, percent: Math.floor((answered * 100) / total) });
      }
      const batch = await putMany(assessment.id, planned.slice(10)).expect(200);
      expect(batch.body.saved).toEqual(planned.slice(10).map((answer) => answer.requirementKey));
      expect(batch.body.progress).toMatchObject({ total, answered: total, percent: 100 });

      const ready = await read(assessment.id);
      expect(ready.gaps).toEqual([]);
      expect(ready.progress).toMatchObject({ total, answered: total, percent: 100 });
      for (const answer of planned) {
        const stored = answerOf(ready, answer.requirementKey);
        expect(stored).toMatchObject({ claim: answer.claim, statement: answer.statement ?? null, justification: answer.justification ?? null, version: 2 });
        expect(stored.evidence.map((item) => item.id).sort()).toEqual([...answer.evidenceIds].sort());
        for (const item of stored.evidence) expect(item).toMatchObject({ revision: 1, status: 'current', confidentiality: 'monitoring_body' });
      }
      const usingPdf = planned.filter((answer) => answer.evidenceIds.includes(document.id)).map((answer) => answer.requirementKey);
      expect(usingPdf.length).toBeGreaterThan(3);

      // A second assessment, of another service, backed by the same PDF.
      const second = await start((await newService(CHILD_DIRECTED, 'Journey Photos')).id);
      const [first2, second2] = second.answers.filter((answer) => answer.evidenceRequired);
      await saveAnswer(t, ownerCaller, slug(), second.id, first2.requirementKey, 1, { claim: 'met', statement: 'Same DPIA.', evidenceIds: [document.id] });
      await saveAnswer(t, ownerCaller, slug(), second.id, second2.requirementKey, 1, { claim: 'partially_met', statement: 'Same DPIA.', evidenceIds: [document.id, link.id] });

      const reuse = await call(t, ownerCaller, 'get', `${orgPath(slug())}/evidence/${document.id}`).expect(200);
      const uses = (reuse.body as EvidenceBody).usedBy.map((use) => `${use.assessmentId} ${use.requirementKey}`).sort();
      expect(uses).toEqual([...usingPdf.map((key) => `${assessment.id} ${key}`), `${second.id} ${first2.requirementKey}`, `${second.id} ${second2.requirementKey}`].sort());
      for (const use of (reuse.body as EvidenceBody).usedBy) expect(use).toMatchObject({ assessmentState: 'draft', assessment: expect.stringContaining('Journey') });

      const submitted = await submit(assessment.id, ownerCaller, { name: 'Olivia Owner', title: 'Chief Executive Officer', confirm: true }).expect(200);
      expect(submitted.body).toMatchObject({ id: assessment.id, state: 'submitted', round: 1, submittedAt: expect.any(String), gaps: [] });
      expect(new Date(submitted.body.submittedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

      // A new revision of the PDF after submission does not change what was submitted.
      const revised = await uploadRequest(t, ownerCaller, `${orgPath(slug())}/evidence/${document.id}/revisions`, pdf('DPIA 2026, corrected'), 'dpia-2026-v2.pdf').expect(201);
      expect(revised.body.revision.number).toBe(2);

      const submissions = await call(t, ownerCaller, 'get', `${assessmentPath(assessment.id)}/submissions`).expect(200);
      expect(submissions.body).toHaveLength(1);
      const [submission] = submissions.body;
      expect(submission).toMatchObject({
        round: 1,
        signatory: { name: 'Olivia Owner', title: 'Chief Executive Officer' },
        submittedAt: submitted.body.submittedAt,
        snapshot: { targetLevel: 2, codeVersionId: expect.stringMatching(UUID) },
      });
      const hashes: Record<string, { title: string; kind: string; confidentiality: string; sha256: string }> = {
        [document.id]: { title: 'DPIA 2026', kind: 'file', confidentiality: 'monitoring_body', sha256: sha256(pdfBytes) },
        [link.id]: { title: 'Transparency report', kind: 'link', confidentiality: 'monitoring_body', sha256: sha256('https://example.org/transparency') },
        [text.id]: { title: 'Review policy', kind: 'text', confidentiality: 'monitoring_body', sha256: sha256('Every flag is reviewed by a trained person.') },
      };
      expect(submission.snapshot.answers.map((answer: { requirementKey: string }) => answer.requirementKey)).toEqual(planned.map((answer) => answer.requirementKey));
      for (const answer of planned) {
        const frozen = submission.snapshot.answers.find((candidate: { requirementKey: string }) => candidate.requirementKey === answer.requirementKey);
        expect(frozen).toMatchObject({ claim: answer.claim, statement: answer.statement ?? null, justification: answer.justification ?? null });
        const frozenEvidence = [...frozen.evidence].sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id));
        expect(frozenEvidence).toEqual([...answer.evidenceIds].sort().map((id) => ({ id, revision: 1, ...hashes[id] })));
      }
      const [codeVersion] = await t.sql<{ id: string }>(`SELECT v.id FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = $1 AND v.version = $2`, [CODE, VERSION]);
      expect(submission.snapshot.codeVersionId).toBe(codeVersion.id);

      // The answers now show the PDF's current revision; the list shows the submission.
      const after = await read(assessment.id);
      expect(answerOf(after, usingPdf[0]).evidence.find((item) => item.id === document.id)).toMatchObject({ revision: 2, sha256: revised.body.revision.sha256 });
      const list = await call(t, ownerCaller, 'get', `${assessmentsPath()}?state=submitted&service=${service.id}`).expect(200);
      expect(list.body).toEqual([expect.objectContaining({ id: assessment.id, state: 'submitted', submittedAt: submitted.body.submittedAt, progress: { answered: total, total } })]);
      const usedAfter = await call(t, ownerCaller, 'get', `${orgPath(slug())}/evidence/${document.id}`).expect(200);
      expect(usedAfter.body.usedBy.filter((use: { assessmentId: string }) => use.assessmentId === assessment.id).every((use: { assessmentState: string }) => use.assessmentState === 'submitted')).toBe(true);

      const [row] = await t.sql<{ signed_by: string; signatory_name: string }>('SELECT signed_by, signatory_name FROM assessment_submissions WHERE assessment_id = $1', [assessment.id]);
      expect(row).toEqual({ signed_by: owner.user.id, signatory_name: 'Olivia Owner' });
      const audit = await t.sql<{ action: string }>(`SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'assessment.%' ORDER BY id`, [assessment.id]);
      expect(audit.map((event) => event.action)).toEqual(['assessment.started', 'assessment.submit']);
    });
  });

  describe('what stops a submission', () => {
    let assessment: AssessmentBody;
    let expired: EvidenceBody;
    let future: EvidenceBody;
    let current: EvidenceBody;
    let keys: { noClaim: string; noJustification: string; blankJustification: string; noEvidence: string; onlyExpired: string; onlyFuture: string; expiredAndCurrent: string; notMet: string; optional: string };

    beforeAll(async () => {
      assessment = await start();
      expired = await createLink(t, ownerCaller, slug(), { title: 'Old certificate', url: 'https://example.org/old', effectiveDate: day(-400), expiresAt: day(0) });
      future = await createLink(t, ownerCaller, slug(), { title: 'Next certificate', url: 'https://example.org/next', effectiveDate: day(10) });
      current = await createLink(t, ownerCaller, slug(), { title: 'Current certificate', url: 'https://example.org/current' });
      expect([expired.status, future.status, current.status]).toEqual(['expired', 'not_yet_effective', 'current']);
      const required = assessment.answers.filter((answer) => answer.evidenceRequired).map((answer) => answer.requirementKey);
      const optional = assessment.answers.find((answer) => !answer.evidenceRequired)!.requirementKey;
      keys = {
        noClaim: required[0],
        noJustification: required[1],
        blankJustification: required[2],
        noEvidence: required[3],
        onlyExpired: required[4],
        onlyFuture: required[5],
        expiredAndCurrent: required[6],
        notMet: required[7],
        optional,
      };
      const rest = assessment.answers
        .filter((answer) => !Object.values(keys).includes(answer.requirementKey))
        .map((answer) => ({ requirementKey: answer.requirementKey, version: 1, claim: 'met', statement: 'In place.', evidenceIds: [current.id] }));
      await putMany(assessment.id, [
        ...rest,
        { requirementKey: keys.noJustification, version: 1, claim: 'not_applicable' },
        { requirementKey: keys.blankJustification, version: 1, claim: 'not_applicable', justification: '   ' },
        { requirementKey: keys.noEvidence, version: 1, claim: 'met', statement: 'Trust us.' },
        { requirementKey: keys.onlyExpired, version: 1, claim: 'partially_met', statement: 'Certified once.', evidenceIds: [expired.id] },
        { requirementKey: keys.onlyFuture, version: 1, claim: 'met', statement: 'Certified soon.', evidenceIds: [future.id] },
        { requirementKey: keys.expiredAndCurrent, version: 1, claim: 'met', statement: 'Renewed.', evidenceIds: [expired.id, current.id] },
        { requirementKey: keys.notMet, version: 1, claim: 'not_met', statement: 'Not yet.' },
        { requirementKey: keys.optional, version: 1, claim: 'met', statement: 'No documents needed.' },
      ]).expect(200);
    });

    it('lists every gap by requirement key and problem, in the code’s order', async () => {
      const order = assessment.answers.map((answer) => answer.requirementKey);
      const expected = [
        { requirementKey: keys.noClaim, problem: expect.stringMatching(NO_CLAIM) },
        { requirementKey: keys.noJustification, problem: expect.stringMatching(NO_JUSTIFICATION) },
        { requirementKey: keys.blankJustification, problem: expect.stringMatching(NO_JUSTIFICATION) },
        { requirementKey: keys.noEvidence, problem: expect.stringMatching(NO_EVIDENCE) },
        { requirementKey: keys.onlyExpired, problem: expect.stringMatching(NOT_CURRENT) },
        { requirementKey: keys.onlyFuture, problem: expect.stringMatching(NOT_CURRENT) },
      ].sort((a, b) => order.indexOf(a.requirementKey) - order.indexOf(b.requirementKey));
      const detail = await read(assessment.id);
      expect(detail.gaps).toEqual(expected);
      expect(detail.progress).toMatchObject({ answered: detail.progress.total - 1 });
      expect(answerOf(detail, keys.onlyExpired).evidence).toEqual([expect.objectContaining({ id: expired.id, status: 'expired' })]);

      const before = await counts();
      const response = await submit(assessment.id).expect(422);
      expect(response.body).toMatchObject({ statusCode: 422, message: expect.stringContaining(`${expected.length} gaps`) });
      expect(response.body.gaps).toEqual(expected);
      expect(await counts()).toEqual(before);
      expect((await read(assessment.id)).state).toBe('draft');
    });

    it('accepts once each gap is closed', async () => {
      const detail = await read(assessment.id);
      const version = (key: string) => answerOf(detail, key).version;
      await putMany(assessment.id, [
        { requirementKey: keys.noClaim, version: version(keys.noClaim), claim: 'not_met', statement: 'Planned.' },
        { requirementKey: keys.noJustification, version: version(keys.noJustification), claim: 'not_applicable', justification: 'We do not develop tools.' },
        { requirementKey: keys.blankJustification, version: version(keys.blankJustification), claim: 'not_applicable', justification: 'We do not license tools.' },
        { requirementKey: keys.noEvidence, version: version(keys.noEvidence), claim: 'met', statement: 'See the certificate.', evidenceIds: [current.id] },
        { requirementKey: keys.onlyExpired, version: version(keys.onlyExpired), claim: 'not_met', statement: 'Certificate lapsed.', evidenceIds: [expired.id] },
        { requirementKey: keys.onlyFuture, version: version(keys.onlyFuture), claim: 'met', statement: 'Both.', evidenceIds: [future.id, current.id] },
      ]).expect(200);
      expect((await read(assessment.id)).gaps).toEqual([]);
      await submit(assessment.id).expect(200);
    });
  });

  describe('the signatory', () => {
    it('answers 400 when the signatory or the confirmation is missing or false, and nothing changes', async () => {
      const assessment = await readyAssessment();
      expect(assessment.gaps).toEqual([]);
      const before = await counts();
      const missing = await submit(assessment.id, ownerCaller, null).expect(400);
      expect(Object.keys(missing.body.details)).toEqual(['signatory']);
      const unconfirmed = await submit(assessment.id, ownerCaller, { name: 'Olivia Owner', title: 'CEO', confirm: false }).expect(400);
      expect(Object.keys(unconfirmed.body.details)).toEqual(['signatory.confirm']);
      const noConfirm = await submit(assessment.id, ownerCaller, { name: 'Olivia Owner', title: 'CEO' }).expect(400);
      expect(Object.keys(noConfirm.body.details)).toEqual(['signatory.confirm']);
      const words = await submit(assessment.id, ownerCaller, { name: 'Olivia Owner', title: 'CEO', confirm: 'yes' }).expect(400);
      expect(Object.keys(words.body.details)).toEqual(['signatory.confirm']);
      const nameless = await submit(assessment.id, ownerCaller, { name: '  ', title: '', confirm: true }).expect(400);
      expect(Object.keys(nameless.body.details).sort()).toEqual(['signatory.name', 'signatory.title']);
      for (const list of [[], [[]], ['Olivia Owner']]) {
        const listed = await submit(assessment.id, ownerCaller, list).expect(400);
        expect(listed.body.details.signatory).toEqual(['signatory must be an object with name, title and confirm']);
      }
      expect(await counts()).toEqual(before);
      expect((await read(assessment.id)).state).toBe('draft');
      // Signed and confirmed, it goes through.
      await submit(assessment.id, ownerCaller, { name: 'Olivia Owner', title: 'CEO', confirm: true }).expect(200);
    });
  });

  describe('saving answers', () => {
    it('refuses a save based on a stale version (409), naming who changed it and when; nothing is lost', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const evidence = await createText(t, editorCaller, slug(), { title: 'Editor notes', text: 'Written by the editor.' });
      // Both read version 1; the editor saves first.
      const editorSave = await saveAnswer(t, editorCaller, slug(), assessment.id, key, 1, { claim: 'met', statement: 'Editor’s words.', evidenceIds: [evidence.id] });
      expect(editorSave).toMatchObject({ version: 2, updatedBy: editorName });
      const response = await put(assessment.id, key, { claim: 'not_met', statement: 'Owner’s words.', evidenceIds: [], version: 1 }).expect(409);
      expect(response.body).toMatchObject({
        statusCode: 409,
        conflicts: [
          {
            requirementKey: key,
            currentVersion: 2,
            updatedBy: editorName,
            updatedAt: editorSave.updatedAt,
            current: { claim: 'met', statement: 'Editor’s words.', justification: null, evidenceIds: [evidence.id] },
          },
        ],
      });
      expect(response.body.message).toContain(editorName);
      expect(response.body.message).toContain(editorSave.updatedAt);
      const stored = answerOf(await read(assessment.id), key);
      expect(stored).toMatchObject({ claim: 'met', statement: 'Editor’s words.', version: 2, updatedBy: editorName });
      expect(stored.evidence.map((item) => item.id)).toEqual([evidence.id]);

      // Based on the current version, the owner's save goes through.
      const retried = await saveAnswer(t, ownerCaller, slug(), assessment.id, key, 2, { claim: 'not_met', statement: 'Owner’s words.' });
      expect(retried).toMatchObject({ version: 3, updatedBy: ownerName, evidence: [] });
    });

    it('saves a batch all or none, skipping answers that did not change', async () => {
      const assessment = await start();
      const [a, b, c] = assessment.answers.map((answer) => answer.requirementKey);
      await saveAnswer(t, editorCaller, slug(), assessment.id, b, 1, { claim: 'met', statement: 'B by the editor.' });
      const before = await answerRows(assessment.id);
      // b is stale (version 1 where 2 is stored) and changed: nothing of the batch is saved.
      const stale = await putMany(assessment.id, [
        { requirementKey: a, version: 1, claim: 'met', statement: 'A.' },
        { requirementKey: b, version: 1, claim: 'not_met', statement: 'B by the owner.' },
      ]).expect(409);
      expect(stale.body.conflicts).toEqual([expect.objectContaining({ requirementKey: b, currentVersion: 2, updatedBy: editorName })]);
      expect(await answerRows(assessment.id)).toEqual(before);

      // Sending b as it is stored (even at the stale version) is no conflict: it is skipped.
      const saved = await putMany(assessment.id, [
        { requirementKey: a, version: 1, claim: 'met', statement: 'A.' },
        { requirementKey: b, version: 1, claim: 'met', statement: 'B by the editor.' },
        { requirementKey: c, version: 1, claim: 'not_applicable', justification: 'C does not apply.' },
      ]).expect(200);
      expect(saved.body.saved).toEqual([a, c]);
      expect(saved.body.progress).toMatchObject({ answered: 3 });
      expect(saved.body.answers).toHaveLength(assessment.answers.length);
      const rows = new Map((await answerRows(assessment.id)).map((row) => [row.requirement_key, row]));
      expect(rows.get(a)).toMatchObject({ claim: 'met', version: 2 });
      expect(rows.get(b)).toMatchObject({ claim: 'met', statement: 'B by the editor.', version: 2 });
      expect(rows.get(c)).toMatchObject({ claim: 'not_applicable', justification: 'C does not apply.', version: 2 });

      // An unknown key anywhere in the batch: 404 and nothing saved.
      const unknown = await putMany(assessment.id, [
        { requirementKey: a, version: 2, claim: 'not_met' },
        { requirementKey: 'XYZ-99', version: 1, claim: 'met' },
      ]).expect(404);
      expect(unknown.body.message).toContain('XYZ-99');
      expect(rows.get(a)).toEqual((await answerRows(assessment.id)).find((row) => row.requirement_key === a));
    });

    it('refuses a batch that names the same requirement twice (400), instead of reporting a conflict with itself', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const response = await putMany(assessment.id, [
        { requirementKey: key, version: 1, claim: 'met' },
        { requirementKey: key, version: 1, claim: 'not_met' },
      ]);
      expect({ status: response.status, namesTheKey: JSON.stringify(response.body).includes(key) }).toEqual({ status: 400, namesTheKey: true });
      expect(answerOf(await read(assessment.id), key)).toMatchObject({ claim: null, version: 1 });
    });

    it('answers 404 for a requirement the assessment does not have, and 400 for a bad claim, a missing version or unknown fields', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const notApplicable = (await call(t, ownerCaller, 'get', `${orgPath(slug())}/services/${assessment.service.id}/applicability?code=${CODE}&version=${VERSION}`).expect(200)).body.excluded[0].key;
      const before = await answerRows(assessment.id);
      await put(assessment.id, 'XYZ-99', { claim: 'met', version: 1 }).expect(404);
      // A requirement of the code that does not apply to this service has no answer either.
      await put(assessment.id, notApplicable, { claim: 'met', version: 1 }).expect(404);
      const badClaim = await put(assessment.id, key, { claim: 'mostly', version: 1 }).expect(400);
      expect(Object.keys(badClaim.body.details)).toEqual(['claim']);
      const noVersion = await put(assessment.id, key, { claim: 'met' }).expect(400);
      expect(Object.keys(noVersion.body.details)).toEqual(['version']);
      const extra = await put(assessment.id, key, { claim: 'met', version: 1, updatedBy: other.user.id }).expect(400);
      expect(Object.keys(extra.body.details)).toEqual(['updatedBy']);
      const notUuid = await put(assessment.id, key, { claim: 'met', version: 1, evidenceIds: ['nope'] }).expect(400);
      expect(Object.keys(notUuid.body.details)).toEqual(['evidenceIds']);
      expect(await answerRows(assessment.id)).toEqual(before);
    });

    it('refuses evidence of another organization or unknown evidence (400, naming evidenceIds[i])', async () => {
      const assessment = await start();
      const key = assessment.answers[0].requirementKey;
      const mine = await createLink(t, ownerCaller, slug());
      const theirs = await createLink(t, asCaller(other), other.organization.slug, { title: 'Their secret' });
      const before = await counts();
      const response = await put(assessment.id, key, { claim: 'met', version: 1, evidenceIds: [mine.id, theirs.id, UNKNOWN_ID] }).expect(400);
      expect(response.body.details).toEqual({
        'evidenceIds[1]': [expect.stringContaining(theirs.id)],
        'evidenceIds[2]': [expect.stringContaining(UNKNOWN_ID)],
      });
      expect(JSON.stringify(response.body)).not.toContain('Their secret');
      const batch = await putMany(assessment.id, [{ requirementKey: key, version: 1, claim: 'met', evidenceIds: [theirs.id] }]).expect(400);
      expect(Object.keys(batch.body.details)).toEqual(['evidenceIds[0]']);
      expect(await counts()).toEqual(before);
      expect(answerOf(await read(assessment.id), key)).toMatchObject({ claim: null, version: 1, evidence: [] });
    });

    it('lets exactly one of two simultaneous saves on the same version through (one 200, one 409)', async () => {
      const assessment = await start();
      for (const [index, answer] of assessment.answers.slice(0, 5).entries()) {
        const [first, second] = await Promise.all([
          put(assessment.id, answer.requirementKey, { claim: 'met', statement: `Owner ${index}`, version: 1 }, ownerCaller),
          put(assessment.id, answer.requirementKey, { claim: 'not_met', statement: `Editor ${index}`, version: 1 }, editorCaller),
        ]);
        expect([first.status, second.status].sort()).toEqual([200, 409]);
        const winner = first.status === 200 ? first : second;
        const loser = first.status === 200 ? second : first;
        expect(loser.body.conflicts).toEqual([expect.objectContaining({ requirementKey: answer.requirementKey, currentVersion: 2, current: expect.objectContaining({ statement: winner.body.statement }) })]);
        const [row] = (await answerRows(assessment.id)).filter((candidate) => candidate.requirement_key === answer.requirementKey);
        expect(row).toMatchObject({ version: 2, statement: winner.body.statement, claim: winner.body.claim });
      }
    });
  });

  describe('concurrent moves', () => {
    it('starts one assessment when two starts of the same service race (one 201, one 409)', async () => {
      const service = await newService();
      const body = { serviceId: service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1 };
      const responses = await Promise.all([call(t, ownerCaller, 'post', assessmentsPath()).send(body), call(t, editorCaller, 'post', assessmentsPath()).send(body)]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      expect(await t.sql('SELECT id FROM assessments WHERE service_id = $1', [service.id])).toHaveLength(1);
    });

    it('submits once when two submissions race (one 200, one 409), with one submission on record', async () => {
      const assessment = await readyAssessment();
      const responses = await Promise.all([submit(assessment.id), submit(assessment.id)]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(await t.sql('SELECT round FROM assessment_submissions WHERE assessment_id = $1', [assessment.id])).toEqual([{ round: 1 }]);
    });

    it('never lets an answer change between the readiness check and the snapshot', async () => {
      const assessment = await readyAssessment();
      const key = assessment.answers[0].requirementKey;
      const [submitted, saved] = await Promise.all([
        submit(assessment.id),
        put(assessment.id, key, { claim: 'met', statement: 'Saved while submitting.', evidenceIds: answerOf(assessment, key).evidence.map((item) => item.id), version: 2 }, editorCaller),
      ]);
      expect(submitted.status).toBe(200);
      expect([200, 409]).toContain(saved.status);
      const [submission] = (await call(t, ownerCaller, 'get', `${assessmentPath(assessment.id)}/submissions`).expect(200)).body;
      const frozen = submission.snapshot.answers.find((answer: { requirementKey: string }) => answer.requirementKey === key);
      const [row] = (await answerRows(assessment.id)).filter((candidate) => candidate.requirement_key === key);
      // Either the save came first and is in the snapshot, or it came after and was refused.
      expect(frozen.statement).toBe(saved.status === 200 ? 'Saved while submitting.' : 'Yes.');
      expect(row.statement).toBe(frozen.statement);
    });
  });

  describe('the state machine', () => {
    it('refuses any edit once submitted (409), saying the assessment is submitted', async () => {
      const assessment = await readyAssessment();
      await submit(assessment.id).expect(200);
      const key = assessment.answers[0].requirementKey;
      const before = await answerRows(assessment.id);
      const single = await put(assessment.id, key, { claim: 'not_met', version: 2 }).expect(409);
      expect(single.body).toMatchObject({ statusCode: 409, details: { state: 'submitted' } });
      expect(single.body.message).toContain('submitted');
      const batch = await putMany(assessment.id, [{ requirementKey: key, claim: 'not_met', version: 2 }]).expect(409);
      expect(batch.body.message).toContain('submitted');
      const imported = await call(t, ownerCaller, 'post', `${assessmentPath(assessment.id)}/import`)
        .set('Content-Type', 'text/csv')
        .send(`requirement_key,claim,statement,justification,evidence_ids,version\n${key},not_met,,,,2\n`)
        .expect(409);
      expect(imported.body.message).toContain('submitted');
      expect(await answerRows(assessment.id)).toEqual(before);

      const again = await submit(assessment.id).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, details: { state: 'submitted', allowed: ['withdraw'] } });
      expect(again.body.message).toMatch(/it is submitted/);
      expect(again.body.message).toMatch(/withdraw/);
      expect((await t.sql('SELECT round FROM assessment_submissions WHERE assessment_id = $1', [assessment.id])).length).toBe(1);
    });

    it('withdraws a submitted assessment (200), then refuses to withdraw or submit it again (409)', async () => {
      const assessment = await readyAssessment();
      await submit(assessment.id).expect(200);
      const withdrawn = await withdraw(assessment.id).expect(200);
      expect(withdrawn.body).toMatchObject({ id: assessment.id, state: 'withdrawn' });
      const again = await withdraw(assessment.id).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, details: { state: 'withdrawn', allowed: [] } });
      expect(again.body.message).toMatch(/it is withdrawn/);
      const resubmit = await submit(assessment.id).expect(409);
      expect(resubmit.body.message).toMatch(/it is withdrawn/);
      await put(assessment.id, assessment.answers[0].requirementKey, { claim: 'not_met', version: 2 }).expect(409);
      // The submission stays on record.
      const submissions = await call(t, ownerCaller, 'get', `${assessmentPath(assessment.id)}/submissions`).expect(200);
      expect(submissions.body).toHaveLength(1);
    });

    it('withdraws a draft (200); the service may then start afresh', async () => {
      const service = await newService();
      const assessment = await start(service.id);
      const withdrawn = await withdraw(assessment.id).expect(200);
      expect(withdrawn.body).toMatchObject({ state: 'withdrawn', submittedAt: null });
      const again = await withdraw(assessment.id).expect(409);
      expect(again.body.message).toMatch(/withdrawn/);
      await submit(assessment.id).expect(409);
      const fresh = await start(service.id);
      expect(fresh.id).not.toBe(assessment.id);
      const audit = await t.sql<{ action: string; data: Record<string, unknown> }>(`SELECT action, data FROM audit_events WHERE target_id = $1 AND action = 'assessment.withdraw'`, [assessment.id]);
      expect(audit).toEqual([{ action: 'assessment.withdraw', data: expect.objectContaining({ from: 'draft', to: 'withdrawn' }) }]);
    });
  });

  describe('who may do what', () => {
    let assessment: AssessmentBody;
    let key: string;

    beforeAll(async () => {
      assessment = await start();
      key = assessment.answers[0].requirementKey;
    });

    const version = async () => answerOf(await read(assessment.id), key).version;

    it('lets a viewer read everything but change nothing (403 on edits, evidence, submit, withdraw, start)', async () => {
      for (const path of ['', `/${assessment.id}`, `/${assessment.id}/submissions`, `/${assessment.id}/export.json`, `/${assessment.id}/export.csv`]) {
        await call(t, viewerCaller, 'get', `${assessmentsPath()}${path}`).expect(200);
      }
      await call(t, viewerCaller, 'get', `${orgPath(slug())}/evidence`).expect(200);
      const before = await counts();
      const evidenceBefore = (await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM evidence'))[0].count;
      await put(assessment.id, key, { claim: 'met', version: await version() }, viewerCaller).expect(403);
      await putMany(assessment.id, [{ requirementKey: key, claim: 'met', version: await version() }], viewerCaller).expect(403);
      await call(t, viewerCaller, 'post', `${assessmentPath(assessment.id)}/import`).set('Content-Type', 'text/csv').send('requirement_key,claim,statement,justification,evidence_ids,version\n').expect(403);
      await call(t, viewerCaller, 'post', `${orgPath(slug())}/evidence`).send({ kind: 'link', title: 'Viewer link', url: 'https://example.org/' }).expect(403);
      await uploadRequest(t, viewerCaller, `${orgPath(slug())}/evidence`, pdf(), 'viewer.pdf', { title: 'Viewer file' }).expect(403);
      await submit(assessment.id, viewerCaller).expect(403);
      await withdraw(assessment.id, viewerCaller).expect(403);
      await call(t, viewerCaller, 'post', assessmentsPath())
        .send({ serviceId: assessment.service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1 })
        .expect(403);
      expect(await counts()).toEqual(before);
      expect((await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM evidence'))[0].count).toBe(evidenceBefore);
    });

    it('lets an editor edit answers and evidence but not submit or withdraw (403)', async () => {
      const link = await createLink(t, editorCaller, slug(), { title: 'Editor link' });
      const saved = await saveAnswer(t, editorCaller, slug(), assessment.id, key, await version(), { claim: 'met', statement: 'By the editor.', evidenceIds: [link.id] });
      expect(saved.updatedBy).toBe(editorName);
      const submitted = await submit(assessment.id, editorCaller).expect(403);
      expect(submitted.body.statusCode).toBe(403);
      await withdraw(assessment.id, editorCaller).expect(403);
      expect((await read(assessment.id)).state).toBe('draft');
    });

    it('lets a read token read but not write, and a write token edit but not submit or withdraw (403)', async () => {
      await call(t, readToken, 'get', assessmentPath(assessment.id)).expect(200);
      await call(t, readToken, 'get', `${assessmentPath(assessment.id)}/export.csv`).expect(200);
      await call(t, readToken, 'get', `${orgPath(slug())}/evidence`).expect(200);
      const current = await version();
      await put(assessment.id, key, { claim: 'not_met', version: current }, readToken).expect(403);
      await putMany(assessment.id, [{ requirementKey: key, claim: 'not_met', version: current }], readToken).expect(403);
      await call(t, readToken, 'post', `${orgPath(slug())}/evidence`).send({ kind: 'link', title: 'Token link', url: 'https://example.org/' }).expect(403);
      await submit(assessment.id, readToken).expect(403);
      expect(await version()).toBe(current);

      const written = await saveAnswer(t, writeToken, slug(), assessment.id, key, current, { claim: 'not_met', statement: 'By a script.' });
      expect(written).toMatchObject({ claim: 'not_met', version: current + 1, updatedBy: null });
      await createLink(t, writeToken, slug(), { title: 'Token link' });
      const started = await call(t, writeToken, 'post', assessmentsPath())
        .send({ serviceId: (await newService()).id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1 })
        .expect(201);
      await submit(assessment.id, writeToken).expect(403);
      await withdraw(started.body.id, writeToken).expect(403);
      expect((await read(started.body.id)).state).toBe('draft');

      // A stale save after a token's change says an API token changed it.
      const stale = await put(assessment.id, key, { claim: 'met', version: current }).expect(409);
      expect(stale.body.conflicts[0]).toMatchObject({ updatedBy: null, currentVersion: current + 1 });
      expect(stale.body.message).toContain('an API token');
    });
  });

  describe('isolation', () => {
    let assessment: AssessmentBody;
    let key: string;
    let outsiders: Array<{ name: string; who: Caller }>;

    beforeAll(async () => {
      assessment = await start();
      key = assessment.answers[0].requirementKey;
      await saveAnswer(t, ownerCaller, slug(), assessment.id, key, 1, { claim: 'met', statement: 'Confidential statement.' });
      const monitorReviewer = await t.addMember(monitor, 'reviewer');
      outsiders = [
        { name: 'another provider (session)', who: asCaller(other) },
        { name: 'another provider (read token)', who: { token: await createToken(other, ['read']) } },
        { name: 'another provider (write token)', who: { token: await createToken(other, ['write']) } },
        { name: 'the monitoring body (admin session)', who: asCaller(monitor) },
        { name: 'the monitoring body (reviewer session)', who: asCaller(monitorReviewer) },
        { name: 'the monitoring body (write token)', who: { token: await createToken(monitor, ['write']) } },
      ];
    });

    const routes = (id: string) => [
      { method: 'get' as const, path: '' },
      { method: 'post' as const, path: '', body: { serviceId: assessment.service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1 } },
      { method: 'get' as const, path: `/${id}` },
      { method: 'put' as const, path: `/${id}/answers/${key}`, body: { claim: 'not_met', statement: 'Overwritten.', version: 2 } },
      { method: 'put' as const, path: `/${id}/answers`, body: { answers: [{ requirementKey: key, claim: 'not_met', version: 2 }] } },
      { method: 'post' as const, path: `/${id}/submit`, body: { signatory: { name: 'Mallory', title: 'Intruder', confirm: true } } },
      { method: 'post' as const, path: `/${id}/withdraw`, body: {} },
      { method: 'get' as const, path: `/${id}/submissions` },
      { method: 'get' as const, path: `/${id}/export.json` },
      { method: 'get' as const, path: `/${id}/export.csv` },
      { method: 'post' as const, path: `/${id}/import`, csv: `requirement_key,claim,statement,justification,evidence_ids,version\n${key},not_met,Overwritten,,,2\n` },
    ];

    it('answers 404, as for a missing organization, on every assessment route of the provider', async () => {
      const before = await answerRows(assessment.id);
      const countsBefore = await counts();
      for (const { name, who } of outsiders) {
        for (const route of routes(assessment.id)) {
          let test = call(t, who, route.method, `${assessmentsPath()}${route.path}`);
          if (route.csv) test = test.set('Content-Type', 'text/csv').send(route.csv);
          else if (route.body) test = test.send(route.body);
          const response = await test;
          expect({ who: name, route: `${route.method} ${route.path}`, status: response.status, body: response.body }).toEqual({
            who: name,
            route: `${route.method} ${route.path}`,
            status: 404,
            body: NO_SUCH_ORGANIZATION,
          });
        }
      }
      expect(await answerRows(assessment.id)).toEqual(before);
      expect(await counts()).toEqual(countsBefore);
      expect((await read(assessment.id)).state).toBe('draft');
    });

    it('answers 404 when another provider names the assessment under its own organization', async () => {
      const before = await answerRows(assessment.id);
      const otherPath = `${orgPath(other.organization.slug)}/assessments`;
      for (const route of routes(assessment.id).filter((candidate) => candidate.path !== '')) {
        let test = call(t, asCaller(other), route.method, `${otherPath}${route.path}`);
        if (route.csv) test = test.set('Content-Type', 'text/csv').send(route.csv);
        else if (route.body) test = test.send(route.body);
        const response = await test;
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
        expect(JSON.stringify(response.body)).not.toContain('Confidential statement');
      }
      const theirs = await call(t, asCaller(other), 'get', otherPath).expect(200);
      expect(theirs.body.map((item: { id: string }) => item.id)).not.toContain(assessment.id);
      // Nor can it start an assessment of this provider's service, or copy from its assessment.
      const service = await createService(t, asCaller(other), other.organization.slug);
      await call(t, asCaller(other), 'post', otherPath)
        .send({ serviceId: assessment.service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1 })
        .expect(404);
      await call(t, asCaller(other), 'post', otherPath)
        .send({ serviceId: service.id, code: CODE, version: VERSION, monitoringBody: monitor.organization.slug, targetLevel: 1, copyFrom: assessment.id })
        .expect(404);
      expect(await answerRows(assessment.id)).toEqual(before);
    });

    it('gives a monitoring body member no provider data of its own organization’s routes either', async () => {
      // A monitoring body has no assessments or evidence of its own: its members are refused (403).
      await call(t, asCaller(monitor), 'get', `${orgPath(monitor.organization.slug)}/assessments`).expect(403);
      await call(t, asCaller(monitor), 'get', `${orgPath(monitor.organization.slug)}/assessments/${assessment.id}`).expect(403);
      await call(t, asCaller(monitor), 'get', `${orgPath(monitor.organization.slug)}/evidence`).expect(403);
      const monitorRead = { token: await createToken(monitor, ['read']) };
      const list = await call(t, monitorRead, 'get', `${orgPath(monitor.organization.slug)}/assessments`);
      expect([200, 403]).toContain(list.status);
      if (list.status === 200) expect(list.body).toEqual([]);
      await call(t, monitorRead, 'get', `${orgPath(monitor.organization.slug)}/assessments/${assessment.id}`).expect((response) => expect([403, 404]).toContain(response.status));
    });
  });
});
