import fc from 'fast-check';
import { awkwardValues } from './support/awkward-values';
import { Actor, createTestApp, TestApp } from './support/test-app';

const OPERATOR = { email: 'fuzz-operator@example.org', password: 'operator passphrase 1' };
const CODE = 'csea-detection-tools';
const awkward = awkwardValues(
  ['met', 'not_applicable', 'partially_met', '=1+1', '2026-02-30', '2026-01-01', 'https://example.org'],
  fc.array(fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })), { maxLength: 4 }),
);
const answerBody = fc.record({ claim: awkward, statement: awkward, justification: awkward, evidenceIds: awkward, version: awkward, extra: awkward }, { requiredKeys: [] });
const evidenceBody = fc.record(
  { kind: fc.oneof(fc.constantFrom('link', 'text', 'file'), awkward), title: awkward, url: fc.oneof(fc.webUrl(), awkward), text: awkward, confidentiality: awkward, effectiveDate: awkward, expiresAt: awkward, note: awkward },
  { requiredKeys: [] },
);

/** Whatever a client sends as an answer or as evidence, the answer is a verdict, never a server error or a half-written row. */
describe('assessments and evidence under arbitrary input', () => {
  let t: TestApp;
  let owner: Actor;
  let api: string;
  let assessmentId: string;
  let requirementKey: string;

  const state = async () =>
    (
      await t.sql<{ answers: string; links: number; evidence: number; revisions: number }>(
        `SELECT (SELECT md5(string_agg(a.id::text || a.version::text || coalesce(a.claim, '') || coalesce(a.statement, '') || coalesce(a.justification, ''), '|' ORDER BY a.id)) FROM answers a) AS answers,
                (SELECT count(*)::int FROM answer_evidence) AS links,
                (SELECT count(*)::int FROM evidence) AS evidence,
                (SELECT count(*)::int FROM evidence_revisions) AS revisions`,
      )
    )[0];

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password });
    owner = await t.signUp({ organization: 'Fuzzed Declarer' });
    const monitor = await t.signUp({ organization: 'Fuzzed Monitor', kind: 'monitoring_body' });
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    await operator.agent
      .post(`/api/v1/codes/${CODE}/accreditations`)
      .set('X-CSRF-Token', operator.csrf)
      .send({ organization: monitor.organization.slug, validFrom: '2020-01-01', validUntil: '2099-12-31' })
      .expect(201);
    api = `/api/v1/orgs/${owner.organization.slug}`;
    const service = await owner.agent.post(`${api}/services`).set('X-CSRF-Token', owner.csrf).send({ name: 'Fuzzed service', profile: { directed_at_children: true } }).expect(201);
    const started = await owner.agent
      .post(`${api}/assessments`)
      .set('X-CSRF-Token', owner.csrf)
      .send({ serviceId: service.body.id, code: CODE, version: '1.0.0', monitoringBody: monitor.organization.slug, targetLevel: 1 })
      .expect(201);
    assessmentId = started.body.id;
    requirementKey = started.body.answers[0].requirementKey;
  }, 90_000);
  afterAll(() => t?.close());

  it('saves an answer or refuses the body, and a refusal changes nothing', async () => {
    const path = () => `${api}/assessments/${assessmentId}/answers/${requirementKey}`;
    await fc.assert(
      fc.asyncProperty(answerBody, fc.boolean(), async (body, currentVersion) => {
        const before = await state();
        const current = (await owner.agent.get(`${api}/assessments/${assessmentId}`).expect(200)).body.answers[0].version;
        const response = await owner.agent.put(path()).set('X-CSRF-Token', owner.csrf).send(currentVersion ? { ...body, version: current } : body);
        expect([200, 400, 409]).toContain(response.status);
        if (response.status !== 200) expect(await state()).toEqual(before);
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('saves a batch or refuses it whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(fc.record({ requirementKey: fc.oneof(fc.constant(requirementKey), awkward) }).chain((head) => answerBody.map((rest) => ({ ...rest, ...head }))), { maxLength: 3 }), awkward), async (answers) => {
        const before = await state();
        const response = await owner.agent.put(`${api}/assessments/${assessmentId}/answers`).set('X-CSRF-Token', owner.csrf).send({ answers });
        expect([200, 400, 404, 409]).toContain(response.status);
        if (response.status !== 200) expect(await state()).toEqual(before);
      }),
      { numRuns: 80 },
    );
  });

  it('refuses a batch whose items are lists, which would otherwise pass as empty answers', async () => {
    const before = await state();
    for (const answers of [[[]], [[{ requirementKey, version: 1 }]], [[], []]]) {
      const response = await owner.agent.put(`${api}/assessments/${assessmentId}/answers`).set('X-CSRF-Token', owner.csrf).send({ answers }).expect(400);
      expect(response.body.details.answers).toEqual(['each of answers must be an object with requirementKey, version and the answer']);
    }
    expect(await state()).toEqual(before);
  });

  it('adds a link or text, or refuses the body, and a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(evidenceBody, async (body) => {
        const before = await state();
        const response = await owner.agent.post(`${api}/evidence`).set('X-CSRF-Token', owner.csrf).send(body);
        expect([201, 400]).toContain(response.status);
        const after = await state();
        expect(after.evidence).toBe(before.evidence + (response.status === 201 ? 1 : 0));
        expect(after.revisions).toBe(before.revisions + (response.status === 201 ? 1 : 0));
      }),
      { numRuns: 120 },
    );
  });

  it('imports arbitrary text as CSV without a server error, and applies only what it reports applied', async () => {
    const header = 'requirement_key,claim,statement,justification,evidence_ids,version';
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.tuple(fc.constantFrom(requirementKey, 'NOPE-1', ''), awkward, awkward), { maxLength: 4 }).map((rows) => [header, ...rows.map((row) => row.map((cell) => JSON.stringify(String(cell))).join(',') + ',,,1')].join('\n'))), async (csv) => {
        const before = await state();
        const response = await owner.agent.post(`${api}/assessments/${assessmentId}/import`).set('X-CSRF-Token', owner.csrf).set('Content-Type', 'text/csv').send(csv);
        expect([200, 400]).toContain(response.status);
        if (response.status !== 200 || response.body.applied.length === 0) expect(await state()).toEqual(before);
      }),
      { numRuns: 80 },
    );
  });
});
