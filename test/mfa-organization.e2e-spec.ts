import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { asCaller, createToken, OPERATOR_ENV, orgPath } from './support/assessment-fixtures';
import { csrfFrom, messageFor, open, postForm, textOf } from './support/html';
import { enrolTotp, totpCode } from './support/mfa-fixtures';
import { complaintId, fileComplaint, onComplaints } from './support/complaint-fixtures';
import { monitoringBody, onReview, openReview, recordFindings, registerEntryOfService } from './support/review-fixtures';
import { createTestApp, TestApp } from './support/test-app';
import { submittedAssessment } from './support/verification-fixtures';

/**
 * Organizations that require a second factor of their members, and monitoring bodies that require a
 * fresh one (step-up) before a decision: refused until the person enrols or gives a code, through the
 * API and through the pages; API tokens unaffected; nobody else can change the setting.
 */
describe('organizations that require a second factor', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
  });
  afterAll(() => t.close());

  const patch = (who: { agent: TestAgent; csrf: string }, slug: string, body: Record<string, unknown>) =>
    who.agent.patch(orgPath(slug)).set('X-CSRF-Token', who.csrf).send(body);
  const versionOf = async (slug: string) => (await t.sql<{ version: number }>(`SELECT version FROM organizations WHERE slug = $1`, [slug]))[0].version;
  /** As if a quarter of an hour had passed since the person last gave a second factor on any of their sessions. */
  const aQuarterHourLater = (userId: string) =>
    t.sql(`UPDATE sessions SET sess = (sess::jsonb || jsonb_build_object('secondFactorAt', 0))::json WHERE sess -> 'passport' ->> 'user' = $1`, [userId]);

  it('refuses members without a factor until they enrol; API tokens keep working', async () => {
    const owner = await t.signUp();
    const member = await t.addMember(owner, 'editor');
    const token = await createToken(owner, ['read']);
    const slug = owner.organization.slug;

    const set = await patch(owner, slug, { requireMfa: true, version: await versionOf(slug) }).expect(200);
    expect(set.body).toMatchObject({ requireMfa: true, requireStepUp: false });
    expect(await t.sql(`SELECT data FROM audit_events WHERE organization_id = $1 AND action = 'organization.sign_in_policy_changed'`, [owner.organization.id])).toEqual([
      { data: { requireMfa: true } },
    ]);

    const refused = await member.agent.get(orgPath(slug)).expect(403);
    expect(refused.body).toMatchObject({ code: 'auth.mfa_required', message: expect.stringContaining('/account') });
    expect(textOf(await open(member.agent, `/app/${slug}`, 403))).toContain('requires a second factor of its members');
    await owner.agent.get(orgPath(slug)).expect(403);
    await request(t.server).get(orgPath(slug)).set('Authorization', `Bearer ${token}`).expect(200);
    // Enrolment stays open, and lifts the refusal.
    await enrolTotp(owner);
    await owner.agent.get(orgPath(slug)).expect(200);
    await enrolTotp(member);
    await member.agent.get(orgPath(slug)).expect(200);

    await patch(owner, slug, { requireMfa: false, version: await versionOf(slug) }).expect(200);
    const stepUp = await patch(owner, slug, { requireStepUp: true, version: await versionOf(slug) }).expect(400);
    expect(stepUp.body.details).toEqual({ requireStepUp: ['requireStepUp is for monitoring bodies, whose decisions it guards'] });
  });

  it('is set on the settings page, and another organization cannot reach it', async () => {
    const owner = await t.signUp();
    const stranger = await t.signUp();
    const slug = owner.organization.slug;
    const page = await open(owner.agent, `/app/${slug}/settings`);
    expect(page).toContain('Require a second factor of every member');
    expect(page).not.toContain('requireStepUp');
    await postForm(owner.agent, `/app/${slug}/settings`, [
      ['_csrf', csrfFrom(page)],
      ['version', String(await versionOf(slug))],
      ['name', owner.organization.name],
      ['requireMfa', 'false'],
      ['requireMfa', 'true'],
    ]).expect(303);
    expect(await t.sql(`SELECT require_mfa FROM organizations WHERE slug = $1`, [slug])).toEqual([{ require_mfa: true }]);
    expect((await patch(stranger, slug, { requireMfa: false, version: await versionOf(slug) }).expect(404)).body.code).toBe('auth.not_found');
    await open(stranger.agent, `/app/${slug}/settings`, 404);
    expect(await t.sql(`SELECT require_mfa FROM organizations WHERE slug = $1`, [slug])).toEqual([{ require_mfa: true }]);
  });

  it('asks for a fresh code before a decision and its approval, through the API and through the page form', async () => {
    const team = await monitoringBody(t, `Step-up Body ${Date.now()}`);
    const provider = await t.signUp();
    const mb = team.monitor.organization.slug;
    await patch(team.monitor, mb, { requireStepUp: true, version: await versionOf(mb) }).expect(200);
    const submitted = await submittedAssessment(t, provider, team.monitor);
    const id = submitted.assessment.id;
    await openReview(t, team, id);
    await recordFindings(t, team, id);

    const proposal = { outcome: 'verified', publicSummary: 'Meets the code.' };
    // Without any factor, the act says to enrol first.
    expect((await onReview(t, team, asCaller(team.lead), 'post', `/${id}/decision`).send(proposal).expect(403)).body.code).toBe('auth.mfa_required');
    const lead = await enrolTotp(team.lead);
    const second = await enrolTotp(team.second);
    await aQuarterHourLater(team.lead.userId);
    await aQuarterHourLater(team.second.userId);

    const refused = await onReview(t, team, asCaller(team.lead), 'post', `/${id}/decision`).send(proposal).expect(403);
    expect(refused.body).toMatchObject({ code: 'auth.step_up_required', message: expect.stringContaining('within the last 15 minutes') });
    await team.lead.agent.post('/api/v1/auth/step-up').set('X-CSRF-Token', team.lead.csrf).send({ code: '12345' }).expect(400);
    await team.lead.agent.post('/api/v1/auth/step-up').set('X-CSRF-Token', team.lead.csrf).send({ code: totpCode(lead.secret, 1) }).expect(200);
    await onReview(t, team, asCaller(team.lead), 'post', `/${id}/decision`).send(proposal).expect(201);

    // The second reviewer approves on the page: refused, the form asks for the code, and carries on with it.
    const reviewPage = `/app/${mb}/reviews/${id}`;
    const page = await open(team.second.agent, reviewPage);
    const asked = await postForm(team.second.agent, `${reviewPage}/decision/approve`, { _csrf: csrfFrom(page) }).expect(403);
    expect(messageFor(asked.text, 'approve-step-up')).toBe('Enter the six-digit code from your authenticator app to confirm this act');
    const wrong = await postForm(team.second.agent, `${reviewPage}/decision/approve`, { _csrf: csrfFrom(asked.text), stepUpCode: '000000' === totpCode(second.secret, 1) ? '111111' : '000000' }).expect(401);
    expect(messageFor(wrong.text, 'approve-step-up')).toBe('The code is wrong or was used already');
    expect(await registerEntryOfService(t, submitted.serviceId)).toBeUndefined();
    const approved = await postForm(team.second.agent, `${reviewPage}/decision/approve`, { _csrf: csrfFrom(wrong.text), stepUpCode: totpCode(second.secret, 1) }).expect(303);
    expect(approved.headers.location).toContain(reviewPage);
    const entry = (await registerEntryOfService(t, submitted.serviceId))!;
    expect(entry).toMatchObject({ status: 'verified' });

    // A complaint ruling: investigating is no ruling; upholding is, and takes the code with the request.
    const complaint = await complaintId(t, (await fileComplaint(t, entry.id)).reference);
    const admin = await enrolTotp(team.monitor);
    await aQuarterHourLater(team.monitor.user.id);
    const handle = (body: Record<string, unknown>) => onComplaints(t, team.monitor, team.admin, 'post', `/${complaint}/status`).send(body);
    const investigating = await handle({ status: 'investigating', version: 1 }).expect(200);
    const ruling = { status: 'upheld', publicOutcome: 'The vetting was not done.', version: investigating.body.version };
    expect((await handle(ruling).expect(403)).body.code).toBe('auth.step_up_required');
    await handle({ ...ruling, stepUpCode: totpCode(admin.secret, 1) }).expect(200);
  });
});
