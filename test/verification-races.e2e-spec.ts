import { asCaller, CODE, eventually, OPERATOR_ENV, VERSION, type AssessmentBody } from './support/assessment-fixtures';
import { monitoringBody, onAssessment, onReview, openReview, recordFindings, registerEntryOfService, verifiedAssessment, type Team } from './support/review-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { SIGNATORY } from './support/verification-fixtures';
import { lockHolder } from './support/lock-holder';
import { onServer } from './support/on-server';
import { ExpiryJob } from '../src/verification/expiry-job';
import { todayUtc } from '../src/verification/validity';

const plus = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/*
 * A renewal approved while the old verification is being expired or suspended. The interleavings are
 * forced by holding a row lock from a connection of the test's own, so they need a PostgreSQL server:
 * the embedded database is one backend whose requests take turns, where they cannot happen at all.
 */
const withServer = onServer(describe, 'test/verification-races.e2e-spec.ts', 'its interleavings need a second connection holding row locks, which the embedded database cannot have');

withServer('verification: a renewal racing the old verification', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Racing Provider' });
    team = await monitoringBody(t, 'Racing Monitor');
  }, 90_000);
  afterAll(() => t?.close());

  const holder = lockHolder(() => t);

  /** Holds a row lock in a transaction of the test's own until `release`. */
  const hold = (sql: string, params: unknown[]) => holder.hold(sql, params, 'commit');

  /** Waits until `n` statements of this database wait for a lock. */
  async function waiting(n: number): Promise<void> {
    const seen = await eventually(async () => {
      const [row] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return row.n >= n;
    }, 10_000);
    expect(seen).toBe(true);
  }

  /** A verified assessment and its renewal, proposed and waiting for approval. */
  async function renewalAwaitingApproval(validUntil?: string) {
    const old = await verifiedAssessment(t, provider, team, validUntil ? { validUntil } : {});
    const renewal = (
      await onAssessment(t, provider, 'post', '')
        .send({ serviceId: old.serviceId, code: CODE, version: VERSION, monitoringBody: team.monitor.organization.slug, targetLevel: 2, copyFrom: old.assessment.id })
        .expect(201)
    ).body as AssessmentBody;
    await onAssessment(t, provider, 'post', `/${renewal.id}/submit`).send({ signatory: SIGNATORY }).expect(200);
    await openReview(t, team, renewal.id);
    await recordFindings(t, team, renewal.id);
    await onReview(t, team, asCaller(team.lead), 'post', `/${renewal.id}/decision`).send({ outcome: 'verified', publicSummary: 'Renewed.' }).expect(201);
    return { old, renewalId: renewal.id };
  }

  it('the expiry job does not expire a renewal approved after it listed the old verification as due', async () => {
    const validUntil = plus(todayUtc(), 3);
    const { old, renewalId } = await renewalAwaitingApproval(validUntil);
    const entryId = old.entry.id;

    // The job lists the entry as due, then waits for the old assessment, which the test holds.
    const release = await hold(`SELECT id FROM assessments WHERE id = $1 FOR UPDATE`, [old.assessment.id]);
    const run = t.app.get(ExpiryJob).run(plus(validUntil, 1));
    await waiting(1);
    // Meanwhile the renewal is approved: the entry now shows it, valid for a year.
    const approved = await onReview(t, team, asCaller(team.second), 'post', `/${renewalId}/decision/approve`).send({}).expect(200);
    await release();
    const result = await run;

    expect(result.expired).not.toContain(entryId);
    const entry = (await registerEntryOfService(t, old.serviceId))!;
    expect(entry).toMatchObject({ id: entryId, assessment_id: renewalId, status: 'verified', verification_id: approved.body.verificationId });
    const kinds = await t.sql<{ kind: string }>(`SELECT kind FROM register_events WHERE entry_id = $1 ORDER BY id`, [entryId]);
    expect(kinds.map((row) => row.kind)).toEqual(['verified', 'renewed']);
    expect(((await onAssessment(t, provider, 'get', `/${renewalId}`).expect(200)).body as AssessmentBody).state).toBe('verified');
  }, 60_000);

  it('suspending the old verification while the renewal is approved is refused, and leaves the renewed entry alone', async () => {
    const { old, renewalId } = await renewalAwaitingApproval();
    const entryId = old.entry.id;

    // The approval waits for the entry, which the test holds; then the suspension of the old assessment starts.
    const release = await hold(`SELECT id FROM register_entries WHERE id = $1 FOR UPDATE`, [entryId]);
    const approval = onReview(t, team, asCaller(team.second), 'post', `/${renewalId}/decision/approve`).send({}).then((response) => response);
    await waiting(1);
    const suspension = onReview(t, team, team.admin, 'post', `/${old.assessment.id}/suspend`).send({ reason: 'Too late.' }).then((response) => response);
    await waiting(2);
    await release();
    const [approved, suspended] = await Promise.all([approval, suspension]);

    expect(approved.status).toBe(200);
    expect(suspended.status).toBe(409);
    expect(suspended.body.message).toContain('a renewal has replaced it');
    const entry = (await registerEntryOfService(t, old.serviceId))!;
    expect(entry).toMatchObject({ id: entryId, assessment_id: renewalId, status: 'verified' });
    const kinds = await t.sql<{ kind: string }>(`SELECT kind FROM register_events WHERE entry_id = $1 ORDER BY id`, [entryId]);
    expect(kinds.map((row) => row.kind)).toEqual(['verified', 'renewed']);
    expect(((await onAssessment(t, provider, 'get', `/${old.assessment.id}`).expect(200)).body as AssessmentBody).state).toBe('verified');
  }, 60_000);
});
