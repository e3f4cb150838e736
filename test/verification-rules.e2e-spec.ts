import { asCaller, call, OPERATOR_ENV, orgPath, type AssessmentBody, type Caller } from './support/assessment-fixtures';
import { auditActions, decide, itemsOf, monitoringBody, notificationsOf, onAssessment, onReview, openReview, recordFindings, registerEntryOfService, reviewOf, type Team } from './support/review-fixtures';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';
import { NO_CONFLICT, SIGNATORY, submittedAssessment } from './support/verification-fixtures';
import { ExpiryJob } from '../src/verification/expiry-job';
import { addMonths, todayUtc } from '../src/verification/validity';

/** The rules of a review: the life of an assessment, the moves that are refused, four eyes, declarations, findings and decision terms. */
describe('verification rules', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  /** A third reviewer of the monitoring body, assigned to nothing unless a test says so. */
  let third: Member;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Ruled Provider' });
    team = await monitoringBody(t, 'Ruling Monitor');
    third = await t.addMember(team.monitor, 'reviewer');
  }, 90_000);
  afterAll(() => t.close());

  const as = (member: Member): Caller => asCaller(member);
  const review = (who: Caller, method: 'get' | 'post' | 'put', path: string) => onReview(t, team, who, method, path);
  const stateOf = async (id: string) => ((await onAssessment(t, provider, 'get', `/${id}`).expect(200)).body as AssessmentBody).state;

  /** A 409 whose message says the state in words and whose details name it. */
  const refusedIn = (response: { status: number; body: { message: string; details?: { state?: string } } }, state: string) => {
    expect({ status: response.status, state: response.body.details?.state }).toEqual({ status: 409, state });
    expect(response.body.message).toContain(state.replace(/_/g, ' '));
  };

  describe('the life of an assessment through the API', () => {
    it('goes submit → assign → declare → findings → request changes → resubmit (with the diff) → decide → approve → verified → suspend → reinstate → expire', async () => {
      const { assessment, serviceId } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 2 });
      const id = assessment.id;
      expect(assessment.state).toBe('submitted');
      const queue = await review(team.admin, 'get', '').expect(200);
      expect(queue.body).toContainEqual(expect.objectContaining({ id, state: 'submitted', round: 1, lead: null, second: null }));

      await openReview(t, team, id);
      expect(await stateOf(id)).toBe('in_review');

      const items = itemsOf(await reviewOf(t, team, id));
      const [changed] = items;
      await recordFindings(t, team, id, { [changed.key]: 'changes_requested' });
      const requested = await review(as(team.lead), 'post', `/${id}/request-changes`).send({}).expect(200);
      expect(requested.body.state).toBe('changes_requested');
      expect(await stateOf(id)).toBe('changes_requested');

      const current = (await onAssessment(t, provider, 'get', `/${id}`).expect(200)).body as AssessmentBody;
      const answer = current.answers.find((item) => item.requirementKey === changed.key)!;
      await onAssessment(t, provider, 'put', `/${id}/answers/${changed.key}`)
        .send({ claim: 'partially_met', statement: 'We now name our licensing criteria.', evidenceIds: answer.evidence.map((item) => item.id), version: answer.version })
        .expect(200);
      const resubmitted = await onAssessment(t, provider, 'post', `/${id}/submit`).send({ signatory: SIGNATORY }).expect(200);
      expect(resubmitted.body).toMatchObject({ state: 'submitted', round: 2 });

      const round2 = await reviewOf(t, team, id);
      expect({ round: round2.round, previousRound: round2.previousRound }).toEqual({ round: 2, previousRound: 1 });
      const diffed = itemsOf(round2);
      const item = diffed.find((candidate) => candidate.key === changed.key)!;
      expect(item.change).toMatchObject({ changed: true, claim: { from: 'met', to: 'partially_met' }, statement: { to: 'We now name our licensing criteria.' } });
      expect(item).toMatchObject({ verdict: null, finding: null, previousFinding: { verdict: 'changes_requested' } });
      // An unchanged answer keeps the verdict of the round before.
      const kept = diffed.find((candidate) => candidate.key !== changed.key)!;
      expect(kept).toMatchObject({ change: { changed: false }, verdict: 'accepted', finding: null, previousFinding: { verdict: 'accepted' } });

      await review(as(team.lead), 'put', `/${id}/findings/${changed.key}`).send({ verdict: 'accepted' }).expect(200);
      expect(await stateOf(id)).toBe('in_review');
      const proposed = await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code at level 2.' }).expect(201);
      expect(proposed.body).toMatchObject({ status: 'proposed', level: 2, validUntil: addMonths(todayUtc(), 12) });
      const approved = await review(as(team.second), 'post', `/${id}/decision/approve`).send({}).expect(200);
      expect(approved.body).toMatchObject({ status: 'approved', reviewedBy: team.second.userId, verificationId: expect.stringMatching(/^\d{4}-L2-\d{4}$/) });
      expect(await stateOf(id)).toBe('verified');
      const entry = (await registerEntryOfService(t, serviceId))!;
      expect(entry).toMatchObject({ assessment_id: id, status: 'verified', level: 2, verification_id: approved.body.verificationId, valid_until: addMonths(todayUtc(), 12) });

      const suspended = await review(team.admin, 'post', `/${id}/suspend`).send({ reason: 'A complaint is being investigated.' }).expect(200);
      expect(suspended.body).toMatchObject({ id: entry.id, status: 'suspended' });
      expect(await stateOf(id)).toBe('suspended');
      const reinstated = await review(team.admin, 'post', `/${id}/reinstate`).send({}).expect(200);
      expect(reinstated.body).toMatchObject({ id: entry.id, status: 'verified' });
      expect(await stateOf(id)).toBe('verified');

      const dayAfter = new Date(Date.parse(`${entry.valid_until}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const run = await t.app.get(ExpiryJob).run(dayAfter);
      expect(run.expired).toContain(entry.id);
      expect(await stateOf(id)).toBe('expired');
      expect((await registerEntryOfService(t, serviceId))!.status).toBe('expired');

      const events = await t.sql<{ kind: string; reason: string | null }>(`SELECT kind, reason FROM register_events WHERE entry_id = $1 ORDER BY id`, [entry.id]);
      expect(events).toEqual([
        { kind: 'verified', reason: null },
        { kind: 'suspended', reason: 'A complaint is being investigated.' },
        { kind: 'reinstated', reason: null },
        { kind: 'expired', reason: expect.stringContaining('not renewed') },
      ]);
      // Every move is in the audit log of the side that made it.
      const moves = (actions: string[]) => actions.filter((action) => action.startsWith('assessment.'));
      expect(moves(await auditActions(t, provider.organization.id, id))).toEqual(['assessment.started', 'assessment.submit', 'assessment.resubmit']);
      expect(moves(await auditActions(t, team.monitor.organization.id, id))).toEqual([
        'assessment.take',
        'assessment.request_changes',
        'assessment.take',
        'assessment.verify',
        'assessment.suspend',
        'assessment.reinstate',
        'assessment.expire',
      ]);
      const reviewing = (await auditActions(t, team.monitor.organization.id, id)).filter((action) => !action.startsWith('assessment.') && action !== 'finding.recorded');
      expect(reviewing).toEqual(['review.assigned', 'review.declared', 'review.declared', 'decision.proposed', 'decision.approved']);
      // And each was told to whom it concerns, once.
      const told = async (organizationId: string) => (await notificationsOf(t, organizationId)).filter((row) => row.key.includes(id) || row.key.includes(entry.id)).map((row) => row.event);
      expect((await told(team.monitor.organization.id)).sort()).toEqual(['assigned', 'resubmitted', 'submitted']);
      expect((await told(provider.organization.id)).sort()).toEqual(['changes_requested', 'decided', 'expired', 'reinstated', 'suspended']);
    }, 60_000);

    it('goes verified → revoke, and a revoked verification is final: suspend, reinstate and revoke again are 409', async () => {
      const { assessment, serviceId } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;
      await openReview(t, team, id);
      await recordFindings(t, team, id);
      await decide(t, team, id);
      expect(await stateOf(id)).toBe('verified');

      await review(team.admin, 'post', `/${id}/revoke`).send({}).expect(400);
      const revoked = await review(team.admin, 'post', `/${id}/revoke`).send({ reason: 'The tool was found scanning without a licence.' }).expect(200);
      expect(revoked.body.status).toBe('revoked');
      expect(await stateOf(id)).toBe('revoked');
      expect((await registerEntryOfService(t, serviceId))!.status).toBe('revoked');

      for (const [move, body] of [['reinstate', {}], ['suspend', { reason: 'Again.' }], ['revoke', { reason: 'Again.' }]] as const) {
        const refused = await review(team.admin, 'post', `/${id}/${move}`).send(body);
        refusedIn(refused, 'revoked');
        expect(refused.body.message).toContain('nothing more can be done');
        expect(refused.body.details.allowed).toEqual([]);
      }
      // The job leaves a revoked entry alone.
      const run = await t.app.get(ExpiryJob).run(addMonths(todayUtc(), 13));
      expect(run.expired).not.toContain((await registerEntryOfService(t, serviceId))!.id);
      expect(await stateOf(id)).toBe('revoked');
    }, 60_000);

    it('revokes a suspended verification too', async () => {
      const { assessment, serviceId } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      await openReview(t, team, assessment.id);
      await recordFindings(t, team, assessment.id);
      await decide(t, team, assessment.id);
      await review(team.admin, 'post', `/${assessment.id}/suspend`).send({ reason: 'Investigating.' }).expect(200);
      await review(team.admin, 'post', `/${assessment.id}/revoke`).send({ reason: 'Confirmed.' }).expect(200);
      expect(await stateOf(assessment.id)).toBe('revoked');
      const [entry] = await t.sql<{ id: string }>(`SELECT id FROM register_entries WHERE service_id = $1`, [serviceId]);
      const kinds = await t.sql<{ kind: string }>(`SELECT kind FROM register_events WHERE entry_id = $1 ORDER BY id`, [entry.id]);
      expect(kinds.map((row) => row.kind)).toEqual(['verified', 'suspended', 'revoked']);
    }, 60_000);
  });

  describe('moves that are not allowed are 409s that say the state', () => {
    it('refuses each illegal move before and after verification', async () => {
      const { assessment } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;

      // Submitted: nothing is verified yet.
      refusedIn(await review(team.admin, 'post', `/${id}/suspend`).send({ reason: 'Too early.' }), 'submitted');
      refusedIn(await review(team.admin, 'post', `/${id}/reinstate`).send({}), 'submitted');

      await openReview(t, team, id);
      // In review: the provider can neither submit nor withdraw, and nothing is waiting for approval.
      const submitted = await onAssessment(t, provider, 'post', `/${id}/submit`).send({ signatory: SIGNATORY });
      refusedIn(submitted, 'in_review');
      expect(submitted.body.details.allowed).toEqual([]);
      expect(submitted.body.message).toMatch(/nothing more can be done with it by the provider/);
      refusedIn(await onAssessment(t, provider, 'post', `/${id}/withdraw`).send({}), 'in_review');
      refusedIn(await review(as(team.second), 'post', `/${id}/decision/approve`).send({}), 'in_review');
      refusedIn(await review(as(team.second), 'post', `/${id}/decision/return`).send({ reason: 'Nothing to return.' }), 'in_review');
      refusedIn(await review(team.admin, 'post', `/${id}/suspend`).send({ reason: 'Not verified.' }), 'in_review');
      refusedIn(await review(team.admin, 'post', `/${id}/reinstate`).send({}), 'in_review');
      refusedIn(await review(team.admin, 'post', `/${id}/revoke`).send({ reason: 'Not verified.' }), 'in_review');
      // Asking for changes with no finding that asks for one is refused as well (422: nothing to send).
      const nothing = await review(as(team.lead), 'post', `/${id}/request-changes`).send({}).expect(422);
      expect(nothing.body.message).toContain('No finding asks for a change');

      await recordFindings(t, team, id);
      await decide(t, team, id);
      expect(await stateOf(id)).toBe('verified');

      // Verified: the review is over; only suspension and revocation remain.
      refusedIn(await review(as(team.lead), 'post', `/${id}/request-changes`).send({}), 'verified');
      refusedIn(await review(as(team.lead), 'put', `/${id}/findings/${assessment.answers[0].requirementKey}`).send({ verdict: 'accepted' }), 'verified');
      refusedIn(await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Again.' }), 'verified');
      refusedIn(await review(as(team.second), 'post', `/${id}/decision/approve`).send({}), 'verified');
      refusedIn(await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: team.second.userId, version: 1 }), 'verified');
      const reinstate = await review(team.admin, 'post', `/${id}/reinstate`).send({});
      refusedIn(reinstate, 'verified');
      expect(reinstate.body.message).toContain('from there you can suspend or revoke');
      expect(reinstate.body.details.allowed).toEqual(expect.arrayContaining(['suspend', 'revoke']));
      refusedIn(await onAssessment(t, provider, 'post', `/${id}/withdraw`).send({}), 'verified');
      refusedIn(await onAssessment(t, provider, 'post', `/${id}/submit`).send({ signatory: SIGNATORY }), 'verified');

      await review(team.admin, 'post', `/${id}/suspend`).send({ reason: 'Investigating.' }).expect(200);
      refusedIn(await review(team.admin, 'post', `/${id}/suspend`).send({ reason: 'Again.' }), 'suspended');
      expect(await stateOf(id)).toBe('suspended');
    }, 60_000);
  });

  describe('two different people, four eyes', () => {
    let id: string;

    beforeAll(async () => {
      id = (await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 })).assessment.id;
    }, 30_000);

    it('refuses one person as both reviewers (422 naming second) and a non-member', async () => {
      const same = await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: team.lead.userId }).expect(422);
      expect(same.body.details).toEqual({ second: ['must be a different person from the lead reviewer'] });
      const stranger = await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: provider.user.id }).expect(422);
      expect(stranger.body.details).toEqual({ second: ['must be a member of your monitoring body'] });
      expect(await stateOf(id)).toBe('submitted');
    });

    it('lets only assigned reviewers record findings, and only the lead propose or request changes', async () => {
      await openReview(t, team, id);
      await review(as(third), 'post', `/${id}/declaration`).send(NO_CONFLICT).expect(201);
      const key = itemsOf(await reviewOf(t, team, id))[0].key;

      const notAssigned = await review(as(third), 'put', `/${id}/findings/${key}`).send({ verdict: 'accepted' }).expect(403);
      expect(notAssigned.body.message).toBe('Only a reviewer assigned to it can do this on this assessment.');
      await review(team.admin, 'put', `/${id}/findings/${key}`).send({ verdict: 'accepted' }).expect(403);
      // The second reviewer may record findings; proposing and requesting changes are the lead's.
      await review(as(team.second), 'put', `/${id}/findings/${key}`).send({ verdict: 'changes_requested', comment: 'Say more.' }).expect(200);
      const byLead = await review(as(team.second), 'post', `/${id}/request-changes`).send({}).expect(403);
      expect(byLead.body.message).toContain('the lead reviewer');
      await review(as(team.second), 'post', `/${id}/decision`).send({ outcome: 'rejected', publicSummary: 'No.' }).expect(403);
      await review(as(third), 'post', `/${id}/decision`).send({ outcome: 'rejected', publicSummary: 'No.' }).expect(403);
      expect(await t.sql(`SELECT id FROM decisions WHERE assessment_id = $1`, [id])).toEqual([]);
    });

    it('never lets the proposer approve, not even after a reassignment makes them the second reviewer', async () => {
      await recordFindings(t, team, id);
      await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code.' }).expect(201);
      const own = await review(as(team.lead), 'post', `/${id}/decision/approve`).send({}).expect(403);
      expect(own.body.message).toBe('Only the second reviewer can do this on this assessment.');

      const current = (await reviewOf(t, team, id, team.admin)).assignment;
      const swapped = await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.second.userId, second: team.lead.userId, version: current.version }).expect(200);
      expect(swapped.body).toMatchObject({ lead: team.second.userId, second: team.lead.userId, version: current.version + 1 });
      const proposer = await review(as(team.lead), 'post', `/${id}/decision/approve`).send({}).expect(403);
      expect(proposer.body.message).toBe('You proposed this decision; another reviewer must approve or return it.');
      await review(as(team.lead), 'post', `/${id}/decision/return`).send({ reason: 'My own.' }).expect(403);
      // The new lead is not the second reviewer either.
      await review(as(team.second), 'post', `/${id}/decision/approve`).send({}).expect(403);
      expect(await stateOf(id)).toBe('in_review');

      await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.second.userId, second: third.userId, version: current.version + 1 }).expect(200);
      const approved = await review(as(third), 'post', `/${id}/decision/approve`).send({}).expect(200);
      expect(approved.body).toMatchObject({ proposedBy: team.lead.userId, reviewedBy: third.userId, status: 'approved' });
      expect(await stateOf(id)).toBe('verified');
      const reassigned = await t.sql<{ data: { lead: string; second: string; previous: { lead: string; second: string } } }>(
        `SELECT data FROM audit_events WHERE target_id = $1 AND action = 'review.reassigned' ORDER BY id`,
        [id],
      );
      expect(reassigned.map((row) => row.data)).toEqual([
        { lead: team.second.userId, second: team.lead.userId, previous: { lead: team.lead.userId, second: team.second.userId } },
        { lead: team.second.userId, second: third.userId, previous: { lead: team.second.userId, second: team.lead.userId } },
      ]);
    }, 60_000);
  });

  describe('conflict-of-interest declarations', () => {
    it('keeps a reviewer who has not declared out of the submission and its evidence', async () => {
      const { assessment, evidence } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;
      await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: team.second.userId }).expect(200);

      const closed = await reviewOf(t, team, id);
      expect(closed).toMatchObject({ state: 'in_review', declarationRequired: true, you: { declared: false, role: 'lead' } });
      for (const field of ['sections', 'submission', 'suggestedLevel', 'decisions']) expect(closed).not.toHaveProperty(field);
      expect(JSON.stringify(closed)).not.toContain('How we meet');
      const refused = await review(as(team.lead), 'get', `/${id}/evidence/${evidence.id}/revisions/1/content`).expect(403);
      expect(refused.body.message).toContain('Declare whether you have a conflict of interest');
      await review(as(team.lead), 'put', `/${id}/findings/${assessment.answers[0].requirementKey}`).send({ verdict: 'accepted' }).expect(403);

      await review(as(team.lead), 'post', `/${id}/declaration`).send(NO_CONFLICT).expect(201);
      const opened = await reviewOf(t, team, id);
      expect(opened.declarationRequired).toBe(false);
      expect(itemsOf(opened).length).toBe(assessment.answers.length);
      await review(as(team.lead), 'get', `/${id}/evidence/${evidence.id}/revisions/1/content`).expect(200);
      // A declaration is made once.
      const again = await review(as(team.lead), 'post', `/${id}/declaration`).send({ conflict: true, statement: 'Changed my mind.' }).expect(409);
      expect(again.body.message).toContain('a declaration is made once');
    }, 30_000);

    it('rules out a reviewer who declared a conflict, recuses one already assigned, and reassigns only on the current version', async () => {
      const { assessment, evidence } = await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 });
      const id = assessment.id;
      await review(as(third), 'post', `/${id}/declaration`).send({ conflict: true, statement: 'I consulted for this provider last year.' }).expect(201);
      const conflicted = await review(team.admin, 'post', `/${id}/assign`).send({ lead: third.userId, second: team.second.userId }).expect(422);
      expect(conflicted.body.details.lead).toEqual([expect.stringContaining('declared a conflict of interest')]);
      await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: third.userId }).expect(422);
      // Nor does a conflicted member ever see the submission.
      const own = await reviewOf(t, team, id, as(third));
      expect(own).toMatchObject({ declarationRequired: true, you: { declared: true, conflict: true } });

      // Assigned, the second reviewer finds a conflict on declaring: the assignment goes, and the audit log says why.
      await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: team.second.userId }).expect(200);
      await review(as(team.lead), 'post', `/${id}/declaration`).send(NO_CONFLICT).expect(201);
      await review(as(team.second), 'post', `/${id}/declaration`).send({ conflict: true, statement: 'My spouse works there.' }).expect(201);
      const recused = await reviewOf(t, team, id, team.admin);
      expect(recused.assignment).toBeNull();
      const [event] = await t.sql<{ data: unknown }>(`SELECT data FROM audit_events WHERE target_id = $1 AND action = 'review.recused'`, [id]);
      expect(event.data).toEqual({ userId: team.second.userId, role: 'second', state: 'in_review' });
      await review(as(team.second), 'get', `/${id}/evidence/${evidence.id}/revisions/1/content`).expect(403);
      // Without an assignment, the lead is no longer one either.
      await review(as(team.lead), 'put', `/${id}/findings/${assessment.answers[0].requirementKey}`).send({ verdict: 'accepted' }).expect(403);
      await review(as(team.lead), 'get', `/${id}/evidence/${evidence.id}/revisions/1/content`).expect(403);

      // A new assignment, without the conflicted reviewer; then reassigning needs its version.
      await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: team.second.userId }).expect(422);
      const newcomer = await t.addMember(team.monitor, 'reviewer');
      const fresh = await review(team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: newcomer.userId }).expect(200);
      expect(fresh.body).toMatchObject({ lead: team.lead.userId, second: newcomer.userId, version: 1 });
      const without = await review(team.admin, 'post', `/${id}/assign`).send({ lead: newcomer.userId, second: team.lead.userId }).expect(409);
      expect(without.body.message).toContain('send that version to reassign');
      const stale = await review(team.admin, 'post', `/${id}/assign`).send({ lead: newcomer.userId, second: team.lead.userId, version: 2 }).expect(409);
      expect(stale.body.message).toContain('it is now at version 1');
      const reassigned = await review(team.admin, 'post', `/${id}/assign`).send({ lead: newcomer.userId, second: team.lead.userId, version: 1 }).expect(200);
      expect(reassigned.body).toMatchObject({ lead: newcomer.userId, second: team.lead.userId, version: 2 });
      const actions = (await auditActions(t, team.monitor.organization.id, id)).filter((action) => action.startsWith('review.'));
      expect(actions).toEqual(['review.declared', 'review.assigned', 'review.declared', 'review.declared', 'review.recused', 'review.assigned', 'review.reassigned']);
    }, 60_000);
  });

  describe('findings', () => {
    let id: string;
    let keys: string[];

    beforeAll(async () => {
      id = (await submittedAssessment(t, provider, team.monitor, { targetLevel: 1 })).assessment.id;
      await openReview(t, team, id);
      keys = itemsOf(await reviewOf(t, team, id)).map((item) => item.key);
    }, 30_000);

    it('needs a comment for anything but accepted', async () => {
      for (const verdict of ['changes_requested', 'rejected']) {
        const refused = await review(as(team.lead), 'put', `/${id}/findings/${keys[0]}`).send({ verdict, comment: '   ' }).expect(400);
        expect(refused.body.details).toEqual({ comment: [`comment must tell the provider what is wrong when the verdict is ${verdict}`] });
      }
      await review(as(team.lead), 'put', `/${id}/findings/${keys[0]}`).send({ verdict: 'maybe' }).expect(400);
      expect(await t.sql(`SELECT id FROM findings WHERE assessment_id = $1`, [id])).toEqual([]);
    });

    it('refuses a change based on a stale version, and says what is there now', async () => {
      const first = await review(as(team.lead), 'put', `/${id}/findings/${keys[0]}`).send({ verdict: 'accepted' }).expect(200);
      expect(first.body).toMatchObject({ verdict: 'accepted', version: 1, released: false });
      await review(as(team.second), 'put', `/${id}/findings/${keys[0]}`).send({ verdict: 'changes_requested', comment: 'Name the criteria.', version: 1 }).expect(200);
      const stale = await review(as(team.lead), 'put', `/${id}/findings/${keys[0]}`).send({ verdict: 'accepted', version: 1 }).expect(409);
      expect(stale.body.details.current).toEqual({ verdict: 'changes_requested', comment: 'Name the criteria.', version: 2 });
      const [row] = await t.sql<{ verdict: string; version: number }>(`SELECT verdict, version FROM findings WHERE assessment_id = $1 AND requirement_key = $2`, [id, keys[0]]);
      expect(row).toEqual({ verdict: 'changes_requested', version: 2 });
    });

    it('knows only the requirements of the submission', async () => {
      const unknown = await review(as(team.lead), 'put', `/${id}/findings/NOPE-99`).send({ verdict: 'accepted' }).expect(404);
      expect(unknown.body.message).toBe('NOPE-99 is not a requirement of this submission.');
      // LIC-01 exists in the code but does not apply to this service, so it was never answered.
      expect(keys).not.toContain('LIC-01');
      await review(as(team.lead), 'put', `/${id}/findings/LIC-01`).send({ verdict: 'accepted' }).expect(404);
      await review(as(team.lead), 'put', `/${id}/sections/NOPE/summary`).send({ publicSummary: 'Nothing.' }).expect(404);
    });

    it('refuses findings, summaries and requests for changes while a decision waits, until it is returned', async () => {
      await recordFindings(t, team, id);
      await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code.' }).expect(201);
      const pending = await review(as(team.lead), 'put', `/${id}/findings/${keys[1]}`).send({ verdict: 'rejected', comment: 'On reflection, no.' }).expect(409);
      expect(pending.body.message).toContain('A decision is waiting for the second reviewer');
      const section = (await reviewOf(t, team, id)).sections[0].key;
      await review(as(team.lead), 'put', `/${id}/sections/${section}/summary`).send({ publicSummary: 'Well documented.' }).expect(409);
      await review(as(team.lead), 'post', `/${id}/request-changes`).send({}).expect(409);
      await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'rejected', publicSummary: 'A second proposal.' }).expect(409);

      const returned = await review(as(team.second), 'post', `/${id}/decision/return`).send({ reason: 'Check the level-1 evidence again.' }).expect(200);
      expect(returned.body).toMatchObject({ status: 'returned', returnReason: 'Check the level-1 evidence again.' });
      await review(as(team.lead), 'put', `/${id}/findings/${keys[1]}`).send({ verdict: 'rejected', comment: 'On reflection, no.' }).expect(200);
      const summary = await review(as(team.lead), 'put', `/${id}/sections/${section}/summary`).send({ publicSummary: 'Well documented.' }).expect(200);
      expect(summary.body).toMatchObject({ sectionKey: section, version: 1 });
      await review(as(team.lead), 'put', `/${id}/sections/${section}/summary`).send({ publicSummary: 'Stale.', version: 7 }).expect(409);
      expect(await stateOf(id)).toBe('in_review');
    }, 30_000);
  });

  describe('the level and the terms of a decision', () => {
    let id: string;
    let serviceId: string;
    let levelTwo: string;

    beforeAll(async () => {
      const submitted = await submittedAssessment(t, provider, team.monitor, { targetLevel: 3 });
      ({ id } = submitted.assessment);
      serviceId = submitted.serviceId;
      await openReview(t, team, id);
      levelTwo = itemsOf(await reviewOf(t, team, id)).find((item) => item.level === 2)!.key;
    }, 30_000);

    it('earns no level before level 1 is accepted', async () => {
      const before = await reviewOf(t, team, id);
      expect(before.suggestedLevel).toBe(0);
      const refused = await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Too early.' }).expect(422);
      expect(refused.body.message).toMatch(/^No level is earned yet: level 1 needs /);
    });

    it('suggests the highest level whose requirements are all accepted, refuses a higher one, and defaults to it', async () => {
      await recordFindings(t, team, id, { [levelTwo]: 'rejected' });
      const suggested = await reviewOf(t, team, id);
      expect(suggested.suggestedLevel).toBe(1);
      expect(suggested.missingForNextLevel).toEqual([{ requirementKey: levelTwo, level: 2, verdict: 'rejected' }]);

      const higher = await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', level: 2, publicSummary: 'Level 2.' }).expect(422);
      expect(higher.body.message).toBe(`Level 2 is not earned: the highest is 1, because level 2 needs ${levelTwo} accepted.`);
      expect(higher.body.details).toMatchObject({ level: ['at most 1'] });
      const proposed = await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Level 1.' }).expect(201);
      expect(proposed.body).toMatchObject({ outcome: 'verified', level: 1, validUntil: addMonths(todayUtc(), 12), conditions: null });
      await review(as(team.second), 'post', `/${id}/decision/return`).send({ reason: 'Let us look at the dates.' }).expect(200);
    });

    it('checks the validity and refuses terms on a rejection', async () => {
      const propose = (body: Record<string, unknown>) => review(as(team.lead), 'post', `/${id}/decision`).send({ publicSummary: 'Terms.', ...body });
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      expect((await propose({ outcome: 'verified', validUntil: yesterday }).expect(400)).body.details).toEqual({ validUntil: ['validUntil must be a day after today'] });
      await propose({ outcome: 'verified', validUntil: todayUtc() }).expect(400);
      expect((await propose({ outcome: 'verified', validUntil: addMonths(todayUtc(), 37) }).expect(400)).body.details).toEqual({ validUntil: ['validUntil must be within 36 months'] });
      await propose({ outcome: 'verified', validUntil: '2031-02-30' }).expect(400);
      expect((await propose({ outcome: 'rejected', level: 1 }).expect(400)).body.details).toEqual({ level: ['level applies only to a verified outcome'] });
      expect((await propose({ outcome: 'rejected', validUntil: addMonths(todayUtc(), 6) }).expect(400)).body.details).toEqual({ validUntil: ['validUntil applies only to a verified outcome'] });
      await propose({ outcome: 'verified', level: 0 }).expect(400);
      await propose({ outcome: 'approved' }).expect(400);
      const chosen = await propose({ outcome: 'verified', validUntil: addMonths(todayUtc(), 6), conditions: 'Report on the appeals backlog in 3 months.' }).expect(201);
      expect(chosen.body).toMatchObject({ level: 1, validUntil: addMonths(todayUtc(), 6), conditions: 'Report on the appeals backlog in 3 months.' });
      await review(as(team.second), 'post', `/${id}/decision/return`).send({ reason: 'We reject instead.' }).expect(200);
      expect(await t.sql(`SELECT status FROM decisions WHERE assessment_id = $1 ORDER BY proposed_at`, [id])).toEqual([{ status: 'returned' }, { status: 'returned' }]);
    });

    it('a rejection, once approved, ends the assessment and puts nothing in the register', async () => {
      await review(as(team.lead), 'post', `/${id}/decision`).send({ outcome: 'rejected', publicSummary: 'Level 2 safeguards are missing.' }).expect(201);
      const approved = await review(as(team.second), 'post', `/${id}/decision/approve`).send({}).expect(200);
      expect(approved.body).toMatchObject({ outcome: 'rejected', status: 'approved', level: null, validUntil: null, verificationId: null });
      expect(await stateOf(id)).toBe('rejected');
      expect(await registerEntryOfService(t, serviceId)).toBeUndefined();
      expect(await t.sql(`SELECT id FROM register_entries WHERE assessment_id = $1`, [id])).toEqual([]);
      const decided = (await notificationsOf(t, provider.organization.id)).filter((row) => row.key === `decided:${id}:1`);
      expect(decided).toEqual([{ event: 'decided', key: `decided:${id}:1` }]);
      refusedIn(await review(team.admin, 'post', `/${id}/suspend`).send({ reason: 'Nothing to suspend.' }), 'rejected');
      // The findings are released with the final decision: the provider can read them now.
      const released = await t.sql<{ released: boolean }>(`SELECT DISTINCT released FROM findings WHERE assessment_id = $1`, [id]);
      expect(released).toEqual([{ released: true }]);
    });
  });

  it('a provider cannot reach its own organization’s review routes, which belong to monitoring bodies', async () => {
    await call(t, asCaller(provider), 'get', `${orgPath(provider.organization.slug)}/reviews`).expect(403);
  });
});
