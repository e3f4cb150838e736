import { asCaller, call, CODE, OPERATOR_ENV, orgPath, VERSION, type AnswerBody, type AssessmentBody } from './support/assessment-fixtures';
import {
  decide,
  itemsOf,
  monitoringBody,
  notificationsOf,
  onAssessment,
  onReview,
  openReview,
  recordFindings,
  registerEntryOfService,
  reviewOf,
  verifiedAssessment,
  type Team,
} from './support/review-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { SIGNATORY, submittedAssessment } from './support/verification-fixtures';
import { ExpiryJob } from '../src/verification/expiry-job';
import { addMonths, todayUtc } from '../src/verification/validity';

/** A day `days` after `date` (YYYY-MM-DD). */
const plus = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** What happens around and after a decision: concurrent requests, the expiry job, notifications, renewal and statistics. */
describe('verification: concurrency, expiry, notifications, renewal and reports', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Lasting Provider' });
    team = await monitoringBody(t, 'Lasting Monitor');
  }, 90_000);
  afterAll(() => t.close());

  const lead = () => asCaller(team.lead);
  const second = () => asCaller(team.second);
  const count = async (sql: string, params: unknown[]) => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;

  describe('concurrent requests', () => {
    it('two approvals at once: exactly one succeeds, with one verification id and one register entry', async () => {
      const { assessment, serviceId } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;
      await openReview(t, team, id);
      await recordFindings(t, team, id);
      await onReview(t, team, lead(), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code.' }).expect(201);

      const responses = await Promise.all([1, 2].map(() => onReview(t, team, second(), 'post', `/${id}/decision/approve`).send({})));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const approved = responses.find((response) => response.status === 200)!.body;
      expect(await t.sql(`SELECT verification_id FROM decisions WHERE assessment_id = $1 AND status = 'approved'`, [id])).toEqual([{ verification_id: approved.verificationId }]);
      expect(await count(`register_entries WHERE service_id = $1`, [serviceId])).toBe(1);
      expect((await registerEntryOfService(t, serviceId))!.verification_id).toBe(approved.verificationId);
      expect(await count(`register_events e JOIN register_entries r ON r.id = e.entry_id WHERE r.service_id = $1`, [serviceId])).toBe(1);
      expect(await count(`audit_events WHERE target_id = $1 AND action IN ('decision.approved', 'assessment.verify')`, [id])).toBe(2);
      expect(await count(`notifications WHERE key = $1`, [`decided:${id}:1`])).toBe(1);
    }, 30_000);

    it('two assignments at once without a version: one 200, one 409, and one assignment', async () => {
      const { assessment } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;
      const pairs = [
        { lead: team.lead.userId, second: team.second.userId },
        { lead: team.second.userId, second: team.lead.userId },
      ];
      const responses = await Promise.all(pairs.map((pair) => onReview(t, team, team.admin, 'post', `/${id}/assign`).send(pair)));
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const winner = responses.find((response) => response.status === 200)!.body;
      const [row] = await t.sql<{ lead_reviewer_id: string; version: number }>(`SELECT lead_reviewer_id, version FROM reviews WHERE assessment_id = $1`, [id]);
      expect(row).toEqual({ lead_reviewer_id: winner.lead, version: 1 });
      expect(await count(`audit_events WHERE target_id = $1 AND action IN ('review.assigned', 'review.reassigned')`, [id])).toBe(1);
      expect(await count(`audit_events WHERE target_id = $1 AND action = 'assessment.take'`, [id])).toBe(1);
      expect(await count(`notifications WHERE key LIKE $1`, [`assigned:${id}:%`])).toBe(1);
    });

    it('two changes to one finding based on the same version: one 200, one 409, nothing lost silently', async () => {
      const { assessment } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;
      await openReview(t, team, id);
      const key = itemsOf(await reviewOf(t, team, id))[0].key;
      await onReview(t, team, lead(), 'put', `/${id}/findings/${key}`).send({ verdict: 'accepted' }).expect(200);
      const responses = await Promise.all([
        onReview(t, team, lead(), 'put', `/${id}/findings/${key}`).send({ verdict: 'rejected', comment: 'Lead: no.', version: 1 }),
        onReview(t, team, second(), 'put', `/${id}/findings/${key}`).send({ verdict: 'changes_requested', comment: 'Second: more.', version: 1 }),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const winner = responses.find((response) => response.status === 200)!.body;
      const [row] = await t.sql(`SELECT verdict, comment, version FROM findings WHERE assessment_id = $1 AND requirement_key = $2`, [id, key]);
      expect(row).toEqual({ verdict: winner.verdict, comment: winner.comment, version: 2 });
    });
  });

  describe('the expiry job', () => {
    let job: ExpiryJob;
    beforeAll(() => {
      job = t.app.get(ExpiryJob);
    });

    it('run twice at once, expires an entry once: one event, one notification, one move', async () => {
      const validUntil = plus(todayUtc(), 10);
      const { assessment, entry } = await verifiedAssessment(t, provider, team, { validUntil });
      expect(entry.valid_until).toBe(validUntil);
      expect(await job.run(validUntil)).toMatchObject({ ran: true, expired: [] });

      const runs = await Promise.all([job.run(plus(validUntil, 1)), job.run(plus(validUntil, 1))]);
      expect(runs.flatMap((run) => run.expired)).toEqual([entry.id]);
      expect((await registerEntryOfService(t, (await t.sql<{ service_id: string }>(`SELECT service_id FROM register_entries WHERE id = $1`, [entry.id]))[0].service_id))!.status).toBe('expired');
      expect(await count(`register_events WHERE entry_id = $1 AND kind = 'expired'`, [entry.id])).toBe(1);
      expect(await count(`audit_events WHERE target_id = $1 AND action = 'assessment.expire'`, [assessment.id])).toBe(1);
      expect(await count(`notifications WHERE event = 'expired' AND key LIKE $1`, [`expired:${entry.id}:%`])).toBe(1);
      expect(((await onAssessment(t, provider, 'get', `/${assessment.id}`).expect(200)).body as AssessmentBody).state).toBe('expired');
      // A later run finds nothing more to do.
      expect((await job.run(plus(validUntil, 2))).expired).not.toContain(entry.id);
      expect(await count(`register_events WHERE entry_id = $1`, [entry.id])).toBe(2);
    }, 30_000);

    it('reminds 60, 30 and 7 days ahead, once per threshold, however often it runs', async () => {
      const validUntil = plus(todayUtc(), 90);
      const { entry } = await verifiedAssessment(t, provider, team, { validUntil });
      const reminders = async () =>
        (await notificationsOf(t, provider.organization.id)).filter((row) => row.event === 'expiring_soon' && row.key.includes(entry.id)).map((row) => row.key);
      const remindedDays = async (today: string) => (await job.run(today)).reminded.filter((item) => item.entryId === entry.id).map((item) => item.days);

      expect(await remindedDays(plus(validUntil, -61))).toEqual([]);
      expect(await reminders()).toEqual([]);
      expect(await remindedDays(plus(validUntil, -60))).toEqual([60]);
      expect(await remindedDays(plus(validUntil, -45))).toEqual([60]);
      expect(await reminders()).toEqual([`expiring_soon:${entry.id}:${validUntil}:60`]);
      expect(await remindedDays(plus(validUntil, -30))).toEqual([30]);
      expect(await remindedDays(plus(validUntil, -29))).toEqual([30]);
      const [runA, runB] = await Promise.all([job.run(plus(validUntil, -7)), job.run(plus(validUntil, -7))]);
      expect([...runA.reminded, ...runB.reminded].filter((item) => item.entryId === entry.id).length).toBeGreaterThan(0);
      expect(await remindedDays(plus(validUntil, -1))).toEqual([7]);
      expect(await remindedDays(validUntil)).toEqual([7]);
      expect(await reminders()).toEqual([
        `expiring_soon:${entry.id}:${validUntil}:60`,
        `expiring_soon:${entry.id}:${validUntil}:30`,
        `expiring_soon:${entry.id}:${validUntil}:7`,
      ]);
      // On its last day the entry still holds; a reminder is no change to the register.
      expect(await count(`register_events WHERE entry_id = $1`, [entry.id])).toBe(1);
      expect((await t.sql<{ status: string }>(`SELECT status FROM register_entries WHERE id = $1`, [entry.id]))[0].status).toBe('verified');
      const [reminder] = await t.sql<{ subject: string; link: string; roles: string[] }>(`SELECT subject, link, roles FROM notifications WHERE key = $1`, [`expiring_soon:${entry.id}:${validUntil}:7`]);
      expect(reminder).toMatchObject({ subject: `Verification ${entry.verification_id} expires within 7 days`, link: `/app/${provider.organization.slug}/assessments/${entry.assessment_id}` });
      // A suspended entry is not reminded.
      await onReview(t, team, team.admin, 'post', `/${entry.assessment_id}/suspend`).send({ reason: 'Investigating.' }).expect(200);
      expect(await remindedDays(plus(validUntil, -2))).toEqual([]);
    }, 60_000);
  });

  describe('notifications are written with their events', () => {
    it('a request that rolls back leaves no notification, and the event notifies once when it does happen', async () => {
      const { assessment, serviceId } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;
      await openReview(t, team, id);
      await recordFindings(t, team, id);
      await onReview(t, team, lead(), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code.' }).expect(201);

      // The approval does all its work, the notification included, and then fails at commit.
      await t.sql(`CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`);
      await t.sql(`CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON register_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()`);
      let failed: { status: number } | undefined;
      try {
        failed = await onReview(t, team, second(), 'post', `/${id}/decision/approve`).send({});
      } finally {
        await t.sql(`DROP TRIGGER refuse_at_commit ON register_events`);
        await t.sql(`DROP FUNCTION refuse_at_commit()`);
      }
      expect(failed?.status).toBe(500);
      expect(await count(`notifications WHERE key LIKE $1`, [`decided:${id}:%`])).toBe(0);
      expect(await t.sql(`SELECT status, verification_id FROM decisions WHERE assessment_id = $1`, [id])).toEqual([{ status: 'proposed', verification_id: null }]);
      expect(await registerEntryOfService(t, serviceId)).toBeUndefined();
      expect(await count(`audit_events WHERE target_id = $1 AND action IN ('decision.approved', 'assessment.verify')`, [id])).toBe(0);
      expect(await count(`findings WHERE assessment_id = $1 AND released`, [id])).toBe(0);
      expect(((await onAssessment(t, provider, 'get', `/${id}`).expect(200)).body as AssessmentBody).state).toBe('in_review');

      await onReview(t, team, second(), 'post', `/${id}/decision/approve`).send({}).expect(200);
      expect(await t.sql(`SELECT event, organization_id FROM notifications WHERE key LIKE $1`, [`decided:${id}:%`])).toEqual([{ event: 'decided', organization_id: provider.organization.id }]);
      // Refused moves afterwards write none.
      await onReview(t, team, second(), 'post', `/${id}/decision/approve`).send({}).expect(409);
      await onReview(t, team, team.admin, 'post', `/${id}/reinstate`).send({}).expect(409);
      expect(await count(`notifications WHERE key LIKE $1`, [`decided:${id}:%`])).toBe(1);
      expect(await count(`notifications WHERE event = 'reinstated' AND key LIKE $1`, [`reinstated:%`])).toBe(0);
    }, 30_000);
  });

  describe('renewal', () => {
    it('keeps the register entry on the old verification until the renewal is approved, then renews the same entry', async () => {
      const old = await verifiedAssessment(t, provider, team);
      const before = old.entry;
      expect(before).toMatchObject({ assessment_id: old.assessment.id, status: 'verified', version: 1 });

      const started = await onAssessment(t, provider, 'post', '')
        .send({ serviceId: old.serviceId, code: CODE, version: VERSION, monitoringBody: team.monitor.organization.slug, targetLevel: 2, copyFrom: old.assessment.id })
        .expect(201);
      const renewal = started.body as AssessmentBody;
      const claims = (body: { answers: AnswerBody[] }) => body.answers.map(({ requirementKey, claim, statement, evidence }) => ({ requirementKey, claim, statement, evidence: evidence.map((item) => item.id) }));
      expect(claims(renewal)).toEqual(claims(old.assessment));
      expect(renewal.gaps).toEqual([]);
      await onAssessment(t, provider, 'post', `/${renewal.id}/submit`).send({ signatory: SIGNATORY }).expect(200);

      const unchanged = async () => expect(await registerEntryOfService(t, old.serviceId)).toEqual(before);
      await unchanged();
      await openReview(t, team, renewal.id);
      await recordFindings(t, team, renewal.id);
      await onReview(t, team, lead(), 'post', `/${renewal.id}/decision`).send({ outcome: 'verified', publicSummary: 'Renewed.' }).expect(201);
      await unchanged();
      // Meanwhile the old verification is still the one to act on.
      await onReview(t, team, team.admin, 'post', `/${old.assessment.id}/suspend`).send({ reason: 'Investigating.' }).expect(200);
      await onReview(t, team, team.admin, 'post', `/${old.assessment.id}/reinstate`).send({}).expect(200);

      const approved = await onReview(t, team, second(), 'post', `/${renewal.id}/decision/approve`).send({}).expect(200);
      const after = (await registerEntryOfService(t, old.serviceId))!;
      expect(after).toMatchObject({ id: before.id, assessment_id: renewal.id, status: 'verified', verification_id: approved.body.verificationId, version: before.version + 3 });
      expect(approved.body.verificationId).not.toBe(before.verification_id);
      const events = await t.sql<{ kind: string; verification_id: string }>(`SELECT kind, verification_id FROM register_events WHERE entry_id = $1 ORDER BY id`, [before.id]);
      expect(events).toEqual([
        { kind: 'verified', verification_id: before.verification_id },
        { kind: 'suspended', verification_id: before.verification_id },
        { kind: 'reinstated', verification_id: before.verification_id },
        { kind: 'renewed', verification_id: approved.body.verificationId },
      ]);

      // The old assessment no longer carries the register entry: acting on it is refused, and it points to its successor.
      const replaced = await onReview(t, team, team.admin, 'post', `/${old.assessment.id}/suspend`).send({ reason: 'Too late.' }).expect(409);
      expect(replaced.body.message).toContain('a renewal has replaced it');
      const standing = await onAssessment(t, provider, 'get', `/${old.assessment.id}/review`).expect(200);
      expect(standing.body).toMatchObject({ register: null, renewedBy: approved.body.verificationId });
      const current = await onAssessment(t, provider, 'get', `/${renewal.id}/review`).expect(200);
      expect(current.body.register).toMatchObject({ id: before.id, verificationId: approved.body.verificationId, status: 'verified' });
      await onReview(t, team, team.admin, 'post', `/${renewal.id}/suspend`).send({ reason: 'Now the renewal.' }).expect(200);
    }, 60_000);
  });

  describe('reports', () => {
    let reporting: Team;
    let from: string;
    const today = todayUtc();

    /** Moves every submission of round `round` of an assessment `days` into the past (submissions are frozen, so past the trigger). */
    async function backdate(assessmentId: string, round: number, days: number): Promise<void> {
      await t.sql(`DO $$ BEGIN
        PERFORM set_config('session_replication_role', 'replica', true);
        UPDATE assessment_submissions SET submitted_at = submitted_at - interval '${days} days' WHERE assessment_id = '${assessmentId}' AND round = ${round};
      END $$`);
    }

    beforeAll(async () => {
      reporting = await monitoringBody(t, 'Reporting Monitor');
      const other = await t.signUp({ organization: 'Reported Provider' });
      from = plus(today, -45);
      const review = (who: ReturnType<typeof asCaller>, method: 'post' | 'put', path: string) => onReview(t, reporting, who, method, path);

      // One verified at level 2 after a round of changes, then suspended and revoked.
      const first = (await submittedAssessment(t, other, reporting.monitor, { targetLevel: 2 })).assessment.id;
      await openReview(t, reporting, first);
      const [changed] = await recordFindings(t, reporting, first, {});
      await review(asCaller(reporting.lead), 'put', `/${first}/findings/${changed.key}`).send({ verdict: 'changes_requested', comment: 'Say more.' }).expect(200);
      await review(asCaller(reporting.lead), 'post', `/${first}/request-changes`).send({}).expect(200);
      await onAssessment(t, other, 'post', `/${first}/submit`).send({ signatory: SIGNATORY }).expect(200);
      await review(asCaller(reporting.lead), 'put', `/${first}/findings/${changed.key}`).send({ verdict: 'accepted' }).expect(200);
      await decide(t, reporting, first);
      await review(reporting.admin, 'post', `/${first}/suspend`).send({ reason: 'Investigating.' }).expect(200);
      await review(reporting.admin, 'post', `/${first}/revoke`).send({ reason: 'Confirmed.' }).expect(200);
      // One rejected.
      const rejected = (await submittedAssessment(t, other, reporting.monitor, { targetLevel: 1 })).assessment.id;
      await openReview(t, reporting, rejected);
      await review(asCaller(reporting.lead), 'post', `/${rejected}/decision`).send({ outcome: 'rejected', publicSummary: 'Not adherent.' }).expect(201);
      await review(asCaller(reporting.second), 'post', `/${rejected}/decision/approve`).send({}).expect(200);
      // One verified at level 1.
      const levelOne = (await submittedAssessment(t, other, reporting.monitor, { targetLevel: 1 })).assessment.id;
      await openReview(t, reporting, levelOne);
      await recordFindings(t, reporting, levelOne);
      await decide(t, reporting, levelOne);
      // One still waiting.
      await submittedAssessment(t, other, reporting.monitor, { targetLevel: 1 });

      // First submissions 10, 20 and 30 days before their decisions.
      await backdate(first, 1, 10);
      await backdate(rejected, 1, 20);
      await backdate(levelOne, 1, 30);
    }, 120_000);

    /** `/reports…` of a monitoring body, as its admin. */
    const report = (path: string, on: Team = reporting) => call(t, on.admin, 'get', `${orgPath(on.monitor.organization.slug)}${path}`);

    it('counts submissions, decisions by outcome and level, the days to a decision, suspensions and revocations', async () => {
      const response = await report(`/reports?from=${from}&to=${today}`).expect(200);
      expect(response.body).toEqual({
        monitoringBody: { slug: reporting.monitor.organization.slug, name: 'Reporting Monitor' },
        period: { from, to: today },
        submissions: { total: 5, first: 4, resubmissions: 1 },
        decisions: { total: 3, byOutcome: { verified: 2, rejected: 1 }, byLevel: { '1': 1, '2': 1 } },
        daysToDecision: { count: 3, median: 20, p90: 28 },
        suspensions: 1,
        reinstatements: 0,
        revocations: 1,
        expiries: 0,
      });
    });

    it('counts only what happened in the period, both days included', async () => {
      const recent = await report(`/reports?from=${plus(today, -15)}&to=${today}`).expect(200);
      expect(recent.body.submissions).toEqual({ total: 3, first: 2, resubmissions: 1 });
      expect(recent.body.decisions.total).toBe(3);
      const past = await report(`/reports?from=${from}&to=${plus(today, -1)}`).expect(200);
      expect(past.body).toMatchObject({ submissions: { total: 3, first: 3, resubmissions: 0 }, decisions: { total: 0, byLevel: {} }, daysToDecision: { count: 0, median: null, p90: null }, suspensions: 0, revocations: 0 });
      const single = await report(`/reports?from=${today}&to=${today}`).expect(200);
      expect(single.body.decisions.total).toBe(3);
      const defaults = await report(`/reports`).expect(200);
      expect(defaults.body.period).toEqual({ from: addMonths(today, -12), to: today });
      // Another monitoring body's statistics have none of these.
      const elsewhere = await report(`/reports?from=${from}&to=${today}`, team).expect(200);
      expect(elsewhere.body.decisions.byOutcome.rejected).toBe(0);
    });

    it('the same figures as CSV: from,to,metric,breakdown,value', async () => {
      const csv = await report(`/reports.csv?from=${from}&to=${today}`).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename=verification-statistics-${from}-to-${today}.csv`);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe('from,to,metric,breakdown,value');
      const row = (metric: string, breakdown: string, value: number | string) => `${from},${today},${metric},${breakdown},${value}`;
      expect(lines.slice(1)).toEqual([
        row('submissions', 'all', 5),
        row('submissions', 'first', 4),
        row('submissions', 'resubmission', 1),
        row('decisions', 'all', 3),
        row('decisions', 'outcome=verified', 2),
        row('decisions', 'outcome=rejected', 1),
        row('decisions', 'verified level=1', 1),
        row('decisions', 'verified level=2', 1),
        row('days_to_decision', 'count', 3),
        row('days_to_decision', 'median', 20),
        row('days_to_decision', 'p90', 28),
        row('suspensions', 'all', 1),
        row('reinstatements', 'all', 0),
        row('revocations', 'all', 1),
        row('expiries', 'all', 0),
      ]);
    });

    it('refuses a period that ends before it starts, and dates that are not dates', async () => {
      const backwards = await report(`/reports?from=${today}&to=${plus(today, -1)}`).expect(400);
      expect(backwards.body.details).toEqual({ from: ['from must not be after to'] });
      await report(`/reports.csv?from=${today}&to=${plus(today, -1)}`).expect(400);
      await report(`/reports?from=2026-13-01`).expect(400);
      await report(`/reports?to=yesterday`).expect(400);
    });
  });
});
