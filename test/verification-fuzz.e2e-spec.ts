import fc from 'fast-check';
import { asCaller, OPERATOR_ENV } from './support/assessment-fixtures';
import { monitoringBody, onReview, openReview, type Team } from './support/review-fixtures';
import { awkwardValues } from './support/awkward-values';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { submittedAssessment } from './support/verification-fixtures';

const awkward = awkwardValues(
  ['accepted', 'changes_requested', 'rejected', 'verified', '2026-02-30', '2099-01-01', 'true', 'false'],
  fc.array(fc.oneof(fc.uuid(), fc.string({ maxLength: 10 }), fc.array(fc.constant(1), { maxLength: 2 })), { maxLength: 3 }),
);
const text = fc.string({ maxLength: 60 }).map((words) => `R${words}`);
/** Mostly well-formed values, each sometimes replaced by an awkward one, and now and then a field nobody asked for. */
const body = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .tuple(
      fc.record(Object.fromEntries(Object.entries(fields).map(([field, valid]) => [field, fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: awkward, weight: 1 })])), { requiredKeys: [] }),
      fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, { arbitrary: awkward, weight: 1 }),
    )
    .map(([sent, extra]) => (extra === null ? sent : { ...sent, extra }));

/** Whatever a reviewer sends, the answer is a verdict on the input, never a server error or a half-written row. */
describe('reviews under arbitrary input', () => {
  let t: TestApp;
  let team: Team;
  let provider: Actor;
  let id: string;
  let requirementKey: string;

  const state = async () =>
    (
      await t.sql<{ findings: string; notes: number; summaries: number; decisions: number; declarations: number; review: string; entries: number }>(
        `SELECT (SELECT md5(coalesce(string_agg(id::text || version::text || verdict || coalesce(comment, ''), '|' ORDER BY id), '')) FROM findings) AS findings,
                (SELECT count(*)::int FROM finding_notes) AS notes,
                (SELECT count(*)::int FROM section_summaries) AS summaries,
                (SELECT count(*)::int FROM decisions) AS decisions,
                (SELECT count(*)::int FROM review_declarations) AS declarations,
                (SELECT coalesce(string_agg(version::text || lead_reviewer_id::text, '|'), '') FROM reviews) AS review,
                (SELECT count(*)::int FROM register_entries) AS entries`,
      )
    )[0];

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Fuzzed Provider' });
    team = await monitoringBody(t, 'Fuzzing Monitor');
    const { assessment } = await submittedAssessment(t, provider, team.monitor);
    id = assessment.id;
    requirementKey = assessment.answers[0].requirementKey;
    await openReview(t, team, id);
  }, 90_000);
  afterAll(() => t?.close());

  const version = fc.integer({ min: 1, max: 4 });
  const routes: Array<{ name: string; method: 'post' | 'put'; path: () => string; who: () => Team['admin']; fields: () => Record<string, fc.Arbitrary<unknown>>; ok: number[] }> = [
    {
      name: 'a finding', method: 'put', path: () => `/${id}/findings/${requirementKey}`, who: () => asCaller(team.lead), ok: [200],
      fields: () => ({ verdict: fc.constantFrom('accepted', 'changes_requested', 'rejected'), comment: text, internalNote: text, version }),
    },
    { name: 'a section summary', method: 'put', path: () => `/${id}/sections/PUR/summary`, who: () => asCaller(team.lead), ok: [200], fields: () => ({ publicSummary: text, version }) },
    {
      name: 'an assignment', method: 'post', path: () => `/${id}/assign`, who: () => team.admin, ok: [200],
      fields: () => ({ lead: fc.constantFrom(team.lead.userId, team.second.userId), second: fc.constantFrom(team.lead.userId, team.second.userId), version }),
    },
    {
      name: 'a decision', method: 'post', path: () => `/${id}/decision`, who: () => asCaller(team.lead), ok: [201],
      fields: () => ({ outcome: fc.constantFrom('verified', 'rejected'), level: fc.integer({ min: 1, max: 4 }), validUntil: fc.constantFrom('2027-06-30', '2030-01-01', '2020-01-01'), conditions: text, publicSummary: text }),
    },
    { name: 'a returned decision', method: 'post', path: () => `/${id}/decision/return`, who: () => asCaller(team.second), ok: [200], fields: () => ({ reason: text }) },
    { name: 'a declaration', method: 'post', path: () => `/${id}/declaration`, who: () => team.admin, ok: [201], fields: () => ({ conflict: fc.boolean(), statement: text }) },
  ];

  for (const route of routes) {
    it(`answers ${route.name} with a verdict, and a refusal changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(body(route.fields()), async (sent) => {
          const before = await state();
          const response = await onReview(t, team, route.who(), route.method, route.path()).send(sent as object);
          expect([...route.ok, 400, 403, 404, 409, 422]).toContain(response.status);
          if (!route.ok.includes(response.status)) expect(await state()).toEqual(before);
        }),
        { numRuns: 40 },
      );
    }, 120_000);
  }
});
