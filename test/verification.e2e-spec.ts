import { accredit, asCaller, call, Caller, createLink, createText, OPERATOR_ENV, orgPath, type AssessmentBody } from './support/assessment-fixtures';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';
import { NO_CONFLICT, reviewsPath, reviewTeam, SIGNATORY, submittedAssessment } from './support/verification-fixtures';
import { ExpiryJob } from '../src/verification/expiry-job';

describe('verification: the whole life through the API', () => {
  let t: TestApp;
  let provider: Actor;
  let monitor: Actor;
  let lead: Member;
  let second: Member;
  let providerCaller: Caller;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Reviewed Provider' });
    monitor = await t.signUp({ organization: 'Verifying Monitor', kind: 'monitoring_body' });
    await accredit(t, monitor);
    ({ lead, second } = await reviewTeam(t, monitor));
    providerCaller = asCaller(provider);
  }, 90_000);
  afterAll(() => t.close());

  const review = (path: string, who: Caller, method: 'get' | 'post' | 'put' = 'post') => call(t, who, method, `${reviewsPath(monitor)}${path}`);

  it('goes from submission through one round of changes to a verified register entry, then suspension, reinstatement and expiry', async () => {
    const { assessment, evidence } = await submittedAssessment(t, provider, monitor, { targetLevel: 2 });
    const id = assessment.id;
    const admin = asCaller(monitor);

    const queue = await review('', admin, 'get').expect(200);
    expect(queue.body.map((item: { id: string }) => item.id)).toContain(id);

    await review(`/${id}/assign`, admin).send({ lead: lead.userId, second: second.userId }).expect(200);
    const before = await review(`/${id}`, asCaller(lead), 'get').expect(200);
    expect(before.body.state).toBe('in_review');
    expect(before.body.declarationRequired).toBe(true);
    expect(before.body.sections).toBeUndefined();
    await review(`/${id}/evidence/${evidence.id}/revisions/1/content`, asCaller(lead), 'get').expect(403);

    await review(`/${id}/declaration`, asCaller(lead)).send(NO_CONFLICT).expect(201);
    await review(`/${id}/declaration`, asCaller(second)).send(NO_CONFLICT).expect(201);
    const opened = await review(`/${id}`, asCaller(lead), 'get').expect(200);
    expect(opened.body.declarationRequired).toBe(false);
    const keys: string[] = opened.body.sections.flatMap((section: { requirements: Array<{ key: string }> }) => section.requirements.map((item) => item.key));
    const content = await review(`/${id}/evidence/${evidence.id}/revisions/1/content`, asCaller(lead), 'get').expect(200);
    expect(content.text).toContain('vetted organisations');

    const [changed, ...rest] = keys;
    await review(`/${id}/findings/${changed}`, asCaller(lead), 'put').send({ verdict: 'changes_requested', comment: 'Name the licensing criteria.', internalNote: 'Compare with the 2025 audit.' }).expect(200);
    for (const key of rest) await review(`/${id}/findings/${key}`, asCaller(lead), 'put').send({ verdict: 'accepted' }).expect(200);
    await review(`/${id}/request-changes`, asCaller(lead)).send({}).expect(200);

    const providerView = await call(t, providerCaller, 'get', `${orgPath(provider.organization.slug)}/assessments/${id}`).expect(200);
    expect(providerView.body.state).toBe('changes_requested');
    const released = await t.sql(`SELECT verdict, comment FROM findings WHERE assessment_id = $1 AND requirement_key = $2`, [id, changed]);
    expect(released).toEqual([{ verdict: 'changes_requested', comment: 'Name the licensing criteria.' }]);

    const standing = await call(t, providerCaller, 'get', `${orgPath(provider.organization.slug)}/assessments/${id}/review`).expect(200);
    expect(standing.body.findings).toEqual(expect.arrayContaining([{ requirementKey: changed, round: 1, verdict: 'changes_requested', comment: 'Name the licensing criteria.' }]));
    expect(JSON.stringify(standing.body)).not.toContain('2025 audit');
    const page = await provider.agent.get(`/app/${provider.organization.slug}/assessments/${id}`).expect(200);
    expect(page.text).toContain('The monitoring body asks for changes');
    expect(page.text).not.toContain('2025 audit');
    const submitPage = await provider.agent.get(`/app/${provider.organization.slug}/assessments/${id}/submit`).expect(200);
    expect(submitPage.text).toContain('Submit again for round 2');
    expect(submitPage.text).toContain('name="signatory[name]"');

    const answer = (providerView.body as AssessmentBody).answers.find((item) => item.requirementKey === changed)!;
    const revised = await createText(t, providerCaller, provider.organization.slug, { title: 'Licensing criteria' });
    const link = await createLink(t, providerCaller, provider.organization.slug, { title: 'Public licence register', url: 'https://example.org/licences' });
    await call(t, providerCaller, 'put', `${orgPath(provider.organization.slug)}/assessments/${id}/answers/${changed}`)
      .send({ claim: 'met', statement: 'We license to vetted organisations meeting five criteria.', evidenceIds: [revised.id, link.id], version: answer.version })
      .expect(200);
    await call(t, providerCaller, 'post', `${orgPath(provider.organization.slug)}/assessments/${id}/submit`).send({ signatory: SIGNATORY }).expect(200);

    const round2 = await review(`/${id}`, asCaller(lead), 'get').expect(200);
    expect(round2.body.round).toBe(2);
    const item = round2.body.sections.flatMap((section: { requirements: unknown[] }) => section.requirements).find((candidate: { key: string }) => candidate.key === changed);
    expect(item.change.changed).toBe(true);
    expect(item.change.statement.to).toContain('five criteria');
    expect(item.change.evidence.added.map((added: { id: string }) => added.id).sort()).toEqual([revised.id, link.id].sort());
    expect(round2.body.linkAddresses).toEqual({ [`${link.id}:1`]: 'https://example.org/licences' });
    expect(item.change.evidence.removed.map((removed: { id: string }) => removed.id)).toEqual([evidence.id]);
    expect(item.previousFinding.verdict).toBe('changes_requested');
    expect(round2.body.suggestedLevel).toBe(0);

    await review(`/${id}/findings/${changed}`, asCaller(lead), 'put').send({ verdict: 'accepted' }).expect(200);
    const ready = await review(`/${id}`, asCaller(lead), 'get').expect(200);
    expect(ready.body.state).toBe('in_review');
    expect(ready.body.suggestedLevel).toBe(2);
    await review(`/${id}/decision`, asCaller(lead)).send({ outcome: 'verified', level: 3, publicSummary: 'Meets the code.' }).expect(422);
    const proposed = await review(`/${id}/decision`, asCaller(lead)).send({ outcome: 'verified', publicSummary: 'Meets the code at level 2.' }).expect(201);
    expect(proposed.body).toMatchObject({ status: 'proposed', level: 2 });
    await review(`/${id}/decision/approve`, asCaller(lead)).send({}).expect(403);
    const approved = await review(`/${id}/decision/approve`, asCaller(second)).send({}).expect(200);
    expect(approved.body.verificationId).toMatch(/^\d{4}-L2-\d{4}$/);

    const [entry] = await t.sql<{ id: string; status: string; valid_until: string }>(`SELECT id, status, valid_until::text FROM register_entries WHERE assessment_id = $1`, [id]);
    expect(entry.status).toBe('verified');

    const verifiedPage = await provider.agent.get(`/app/${provider.organization.slug}/assessments/${id}`).expect(200);
    expect(verifiedPage.text).toContain(`Verification ${approved.body.verificationId}`);
    expect(verifiedPage.text).toContain('>Renew</a>');

    await review(`/${id}/suspend`, admin).send({ reason: 'Complaint under investigation.' }).expect(200);
    await review(`/${id}/suspend`, admin).send({ reason: 'Again.' }).expect(409);
    await review(`/${id}/reinstate`, admin).send({}).expect(200);

    const job = t.app.get(ExpiryJob);
    const after = new Date(Date.parse(`${entry.valid_until}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const runs = await Promise.all([job.run(after), job.run(after)]);
    expect(runs.flatMap((run) => run.expired)).toEqual([entry.id]);
    const events = await t.sql<{ kind: string }>(`SELECT kind FROM register_events WHERE entry_id = $1 ORDER BY id`, [entry.id]);
    expect(events.map((event) => event.kind)).toEqual(['verified', 'suspended', 'reinstated', 'expired']);
    const notifications = await t.sql<{ event: string }>(`SELECT event FROM notifications ORDER BY created_at`);
    expect(notifications.map((row) => row.event)).toEqual(expect.arrayContaining(['submitted', 'assigned', 'changes_requested', 'resubmitted', 'decided', 'suspended', 'reinstated', 'expired']));
  }, 120_000);
});
