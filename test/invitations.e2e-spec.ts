import { createHash } from 'node:crypto';
import request from 'supertest';
import { Actor, createTestApp, TestApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 86_400_000;
const NEW_PASSWORD = 'a long enough new password';

describe('invitations', () => {
  let t: TestApp;
  let owner: Actor;
  let stranger: Actor;
  let emails = 0;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp({ organization: 'Inviting Provider' });
    stranger = await t.signUp({ organization: 'Other Provider' });
  });
  afterAll(() => t.close());

  const invitationsPath = (actor: Pick<Actor, 'organization'>) => `/api/v1/orgs/${actor.organization.slug}/invitations`;
  const freshEmail = (label = 'invitee') => {
    emails += 1;
    return `${label}-${emails}-${Date.now().toString(36)}@example.org`;
  };

  /** Invites `email` as `role` into the inviter's organization and returns the whole answer. */
  async function invite(inviter: Actor, role = 'viewer', email = freshEmail()) {
    const response = await inviter.agent.post(invitationsPath(inviter)).set('X-CSRF-Token', inviter.csrf).send({ email, role }).expect(201);
    return response.body as { id: string; token: string; email: string; role: string; status: string; expiresAt: string; createdAt: string };
  }


  const membershipsOf = (email: string) =>
    t.sql<{ organization_id: string; role: string }>(
      'SELECT m.organization_id, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE lower(u.email) = lower($1) ORDER BY m.created_at',
      [email],
    );
  const invitationRow = (id: string) =>
    t.sql<{ accepted_at: Date | null; accepted_by: string | null; revoked_at: Date | null; token_hash: string }>(
      'SELECT accepted_at, accepted_by, revoked_at, token_hash FROM invitations WHERE id = $1',
      [id],
    ).then((rows) => rows[0]);

  describe('creating an invitation', () => {
    it('answers a pending invitation with its link token, valid for seven days', async () => {
      const email = freshEmail();
      const before = Date.now();
      const invitation = await invite(owner, 'editor', email);
      expect(invitation).toEqual({
        id: expect.stringMatching(UUID),
        token: expect.stringMatching(/^inv_[A-Za-z0-9_-]{43}$/),
        email,
        role: 'editor',
        status: 'pending',
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
      });
      const expiresAt = new Date(invitation.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY - 1_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY + 1_000);
    });

    it('stores the link token only as its sha256 hash', async () => {
      const invitation = await invite(owner);
      const [row] = await t.sql<Record<string, unknown>>('SELECT * FROM invitations WHERE id = $1', [invitation.id]);
      expect(row.token_hash).toBe(createHash('sha256').update(invitation.token).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(invitation.token);
      expect(row).toMatchObject({ organization_id: owner.organization.id, invited_by: owner.user.id, role: 'viewer' });
    });

    it('records invitation.created in the audit log', async () => {
      const invitation = await invite(owner, 'editor');
      const audit = await owner.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit`).expect(200);
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({
          action: 'invitation.created',
          targetType: 'invitation',
          targetId: invitation.id,
          actorUserId: owner.user.id,
          data: { email: invitation.email, role: 'editor' },
        }),
      );
      expect(JSON.stringify(audit.body)).not.toContain(invitation.token);
    });

    it('lists the organization’s invitations with their status and without their tokens', async () => {
      const invitation = await invite(owner, 'viewer');
      const response = await owner.agent.get(invitationsPath(owner)).expect(200);
      expect(response.body).toContainEqual({
        id: invitation.id,
        email: invitation.email,
        role: 'viewer',
        status: 'pending',
        expiresAt: invitation.expiresAt,
        createdAt: invitation.createdAt,
      });
      expect(JSON.stringify(response.body)).not.toContain(invitation.token);
    });

    it('refuses an email that is not an address, naming email in details', async () => {
      const response = await owner.agent.post(invitationsPath(owner)).set('X-CSRF-Token', owner.csrf).send({ email: 'not-an-email', role: 'viewer' }).expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        code: 'request.invalid',
        error: 'Bad Request',
        message: 'Invalid input: email',
        details: { email: ['email must be an email address'] },
      });
      expect(await t.sql("SELECT id FROM invitations WHERE email = 'not-an-email'")).toEqual([]);
    });

    it('refuses a role that does not exist at all', async () => {
      const response = await owner.agent.post(invitationsPath(owner)).set('X-CSRF-Token', owner.csrf).send({ email: freshEmail(), role: 'superuser' }).expect(400);
      expect(response.body.details).toEqual({ role: ['role must be one of owner, editor, viewer, admin, reviewer'] });
    });

    it('refuses a role of the other kind of organization (reviewer in a provider, owner in a monitoring body)', async () => {
      const email = freshEmail();
      const reviewer = await owner.agent.post(invitationsPath(owner)).set('X-CSRF-Token', owner.csrf).send({ email, role: 'reviewer' }).expect(400);
      expect(reviewer.body.statusCode).toBe(400);
      expect(reviewer.body.message).toContain('The role reviewer does not exist in a provider');
      expect(Object.keys(reviewer.body.details)).toEqual(['role']);
      expect(await t.sql('SELECT id FROM invitations WHERE email = $1', [email])).toEqual([]);

      const admin = await t.signUp({ kind: 'monitoring_body', organization: 'Inviting Monitor' });
      const ownerInMonitor = await admin.agent.post(invitationsPath(admin)).set('X-CSRF-Token', admin.csrf).send({ email, role: 'owner' }).expect(400);
      expect(ownerInMonitor.body.message).toContain('The role owner does not exist in a monitoring body');
      expect(ownerInMonitor.body.details).toHaveProperty('role');
      const accepted = await invite(admin, 'reviewer', email);
      expect(accepted).toMatchObject({ role: 'reviewer', status: 'pending' });
    });
  });

  describe('who may invite', () => {
    it('refuses viewers and editors with 403, creating nothing', async () => {
      for (const role of ['viewer', 'editor']) {
        const member = await t.addMember(owner, role);
        const email = freshEmail(`by-${role}`);
        const response = await member.agent.post(invitationsPath(owner)).set('X-CSRF-Token', member.csrf).send({ email, role: 'viewer' }).expect(403);
        expect(response.body).toEqual({ statusCode: 403, code: 'auth.forbidden', error: 'Forbidden', message: `Your role (${role}) does not allow members.manage.` });
        expect(await t.sql('SELECT id FROM invitations WHERE email = $1', [email])).toEqual([]);
        const list = await member.agent.get(invitationsPath(owner)).expect(403);
        expect(list.body.statusCode).toBe(403);
      }
    });

    it('refuses a cookie-authenticated invitation without the CSRF token', async () => {
      const email = freshEmail('forged');
      const response = await owner.agent.post(invitationsPath(owner)).send({ email, role: 'owner' }).expect(403);
      expect(response.body.message).toContain('X-CSRF-Token');
      expect(await t.sql('SELECT id FROM invitations WHERE email = $1', [email])).toEqual([]);
    });

    it('refuses anyone not signed in with 401', async () => {
      const response = await request(t.server).post(invitationsPath(owner)).send({ email: freshEmail(), role: 'owner' }).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, message: 'Sign in first.' });
    });
  });

  describe('previewing an invitation', () => {
    it('shows the organization, email and role to anyone holding the link', async () => {
      const invitation = await invite(owner, 'editor');
      const response = await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(200);
      expect(response.body).toEqual({
        organization: { name: owner.organization.name, slug: owner.organization.slug, kind: 'provider' },
        email: invitation.email,
        role: 'editor',
        expiresAt: invitation.expiresAt,
        hasAccount: false,
      });
    });

    it('says whether the invited address already has an account', async () => {
      const invitation = await invite(owner, 'viewer', stranger.user.email);
      const response = await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(200);
      expect(response.body).toMatchObject({ email: stranger.user.email, hasAccount: true });
    });

    it('answers 404 for a token that was never issued', async () => {
      const response = await request(t.server).get('/api/v1/invitations/inv_neverIssuedneverIssuedneverIssuedneverIss').expect(404);
      expect(response.body).toEqual({ statusCode: 404, code: 'tenancy.invitation_not_found', error: 'Not Found', message: 'This invitation link is not valid.' });
    });
  });

  describe('accepting as a newcomer', () => {
    it('creates the account, joins the organization and signs the newcomer in', async () => {
      const invitation = await invite(owner, 'editor');
      const agent = request.agent(t.server);
      await agent.get('/api/v1/auth/session').expect(401);
      const accepted = await agent.post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: '  Nora Newcomer ', password: NEW_PASSWORD }).expect(200);
      expect(accepted.body).toEqual({
        user: { id: expect.stringMatching(UUID), email: invitation.email, name: 'Nora Newcomer' },
        organization: expect.objectContaining({ id: owner.organization.id, slug: owner.organization.slug, kind: 'provider' }),
      });

      const session = await agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.user).toMatchObject({ id: accepted.body.user.id, email: invitation.email });
      expect(session.body.memberships).toEqual([
        { organization: { id: owner.organization.id, slug: owner.organization.slug, kind: 'provider' }, role: 'editor' },
      ]);
      expect(await membershipsOf(invitation.email)).toEqual([{ organization_id: owner.organization.id, role: 'editor' }]);

      const row = await invitationRow(invitation.id);
      expect(row.accepted_by).toBe(accepted.body.user.id);
      expect(row.accepted_at).not.toBeNull();

      // The account is a real one: its password signs in.
      const signedIn = await t.signIn(invitation.email, NEW_PASSWORD);
      const organization = await signedIn.agent.get(`/api/v1/orgs/${owner.organization.slug}`).expect(200);
      expect(organization.body.role).toBe('editor');
    });

    it('records invitation.accepted and membership.created, and lists the invitation as accepted', async () => {
      const invitation = await invite(owner, 'viewer');
      const accepted = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Audited Newcomer', password: NEW_PASSWORD }).expect(200);
      const audit = await owner.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit`).expect(200);
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({ action: 'invitation.accepted', targetId: invitation.id, actorUserId: accepted.body.user.id }),
      );
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({ action: 'membership.created', data: { userId: accepted.body.user.id, role: 'viewer' } }),
      );
      const list = await owner.agent.get(invitationsPath(owner)).expect(200);
      expect(list.body.find((item: { id: string }) => item.id === invitation.id).status).toBe('accepted');
    });

    it('needs a name and a password (400 naming both), and creates nothing without them', async () => {
      const invitation = await invite(owner);
      const neither = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({}).expect(400);
      expect(neither.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(Object.keys(neither.body.details).sort()).toEqual(['name', 'password']);

      const nameOnly = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Half Done' }).expect(400);
      expect(nameOnly.body.details).toEqual({ password: ['password is required to create an account'] });

      const shortPassword = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Short', password: 'too short' }).expect(400);
      expect(shortPassword.body.details).toEqual({ password: ['password must be at least 12 characters long'] });

      expect(await t.sql('SELECT id FROM users WHERE lower(email) = lower($1)', [invitation.email])).toEqual([]);
      expect((await invitationRow(invitation.id)).accepted_at).toBeNull();
      await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(200);
    });

    it('refuses a name of only spaces, which would create an account without a name', async () => {
      const invitation = await invite(owner);
      const response = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: '   ', password: NEW_PASSWORD });
      expect(response.status).toBe(400);
      expect(response.body.details).toHaveProperty('name');
      expect(await t.sql('SELECT name FROM users WHERE lower(email) = lower($1)', [invitation.email])).toEqual([]);
    });

    it('answers 409 when the invited address already has an account, asking to sign in', async () => {
      const existing = await t.signUp({ organization: 'Existing Account Org' });
      const invitation = await invite(owner, 'viewer', existing.user.email);
      const response = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Impostor', password: NEW_PASSWORD }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(response.body.message).toContain('sign in');
      expect(await membershipsOf(existing.user.email)).toEqual([{ organization_id: existing.organization.id, role: 'owner' }]);
      expect((await invitationRow(invitation.id)).accepted_at).toBeNull();
    });
  });

  describe('accepting while signed in', () => {
    it('joins with the invited address, keeping the other memberships', async () => {
      const person = await t.signUp({ organization: 'Joiner Home' });
      const invitation = await invite(owner, 'editor', person.user.email.toUpperCase());
      const response = await person.agent.post(`/api/v1/invitations/${invitation.token}/accept`).set('X-CSRF-Token', person.csrf).send({}).expect(200);
      expect(response.body.user).toEqual({ id: person.user.id, email: person.user.email, name: person.user.name });
      expect(response.body.organization.id).toBe(owner.organization.id);
      expect(await membershipsOf(person.user.email)).toEqual([
        { organization_id: person.organization.id, role: 'owner' },
        { organization_id: owner.organization.id, role: 'editor' },
      ]);
      const session = await person.agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.memberships).toContainEqual({
        organization: { id: owner.organization.id, slug: owner.organization.slug, kind: 'provider' },
        role: 'editor',
      });
      expect((await invitationRow(invitation.id)).accepted_by).toBe(person.user.id);
    });

    it('needs the CSRF token, like every cookie-authenticated write', async () => {
      const person = await t.signUp({ organization: 'Careless Joiner Home' });
      const invitation = await invite(owner, 'viewer', person.user.email);
      const response = await person.agent.post(`/api/v1/invitations/${invitation.token}/accept`).send({}).expect(403);
      expect(response.body.message).toContain('X-CSRF-Token');
      expect(await membershipsOf(person.user.email)).toHaveLength(1);
    });

    it('refuses (403) a person signed in with another address, leaving the invitation usable', async () => {
      const invitation = await invite(owner, 'owner');
      const response = await stranger.agent.post(`/api/v1/invitations/${invitation.token}/accept`).set('X-CSRF-Token', stranger.csrf).send({}).expect(403);
      expect(response.body).toEqual({
        statusCode: 403,
        code: 'tenancy.invitation_for_another_email',
        error: 'Forbidden',
        message: `This invitation was sent to ${invitation.email}; sign in with that address to accept it.`,
      });
      expect(await membershipsOf(stranger.user.email)).toEqual([{ organization_id: stranger.organization.id, role: 'owner' }]);
      expect((await invitationRow(invitation.id)).accepted_at).toBeNull();
      await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(200);
    });

    it('answers 409 to a person who is already a member', async () => {
      const member = await t.addMember(owner, 'viewer');
      const invitation = await invite(owner, 'editor', member.email);
      const response = await member.agent.post(`/api/v1/invitations/${invitation.token}/accept`).set('X-CSRF-Token', member.csrf).send({}).expect(409);
      expect(response.body.message).toBe('This person is already a member of the organization.');
      expect(await membershipsOf(member.email)).toEqual([{ organization_id: owner.organization.id, role: 'viewer' }]);
    });
  });

  describe('invitations that can no longer be used', () => {
    it('answers 410 once an invitation has been accepted', async () => {
      const invitation = await invite(owner);
      await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'First', password: NEW_PASSWORD }).expect(200);
      const again = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Second', password: NEW_PASSWORD }).expect(410);
      expect(again.body).toEqual({ statusCode: 410, code: 'tenancy.invitation_used', error: 'Gone', message: 'This invitation has already been accepted.' });
      const preview = await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(410);
      expect(preview.body.message).toBe('This invitation has already been accepted.');
      expect(await t.sql('SELECT name FROM users WHERE lower(email) = lower($1)', [invitation.email])).toEqual([{ name: 'First' }]);
    });

    it('lets only one of two simultaneous acceptances through; the other answers 410', async () => {
      const invitation = await invite(owner, 'editor');
      const accept = (name: string) => request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name, password: NEW_PASSWORD });
      const responses = await Promise.all([accept('Racer One'), accept('Racer Two')]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 410]);
      expect(await t.sql('SELECT id FROM users WHERE lower(email) = lower($1)', [invitation.email])).toHaveLength(1);
      expect(await membershipsOf(invitation.email)).toEqual([{ organization_id: owner.organization.id, role: 'editor' }]);
    });

    it('answers 410 once an invitation has expired, and lists it as expired', async () => {
      const invitation = await invite(owner);
      await t.sql(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invitation.id]);
      const accept = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Late', password: NEW_PASSWORD }).expect(410);
      expect(accept.body).toEqual({ statusCode: 410, code: 'tenancy.invitation_expired', error: 'Gone', message: 'This invitation has expired; ask for a new one.' });
      const preview = await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(410);
      expect(preview.body.message).toContain('expired');
      expect(await t.sql('SELECT id FROM users WHERE lower(email) = lower($1)', [invitation.email])).toEqual([]);
      const list = await owner.agent.get(invitationsPath(owner)).expect(200);
      expect(list.body.find((item: { id: string }) => item.id === invitation.id).status).toBe('expired');
    });

    it('revokes with 204; the link then answers 404', async () => {
      const invitation = await invite(owner);
      const revoked = await owner.agent.delete(`${invitationsPath(owner)}/${invitation.id}`).set('X-CSRF-Token', owner.csrf).expect(204);
      expect(revoked.text).toBe('');
      expect((await invitationRow(invitation.id)).revoked_at).not.toBeNull();

      const preview = await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(404);
      expect(preview.body.message).toBe('This invitation link is not valid.');
      const accept = await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Too Late', password: NEW_PASSWORD }).expect(404);
      expect(accept.body.statusCode).toBe(404);
      expect(await t.sql('SELECT id FROM users WHERE lower(email) = lower($1)', [invitation.email])).toEqual([]);

      const list = await owner.agent.get(invitationsPath(owner)).expect(200);
      expect(list.body.find((item: { id: string }) => item.id === invitation.id).status).toBe('revoked');
      const audit = await owner.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit`).expect(200);
      expect(audit.body.items).toContainEqual(expect.objectContaining({ action: 'invitation.revoked', targetId: invitation.id, actorUserId: owner.user.id }));
    });

    it('cannot revoke an invitation that was already accepted (410)', async () => {
      const invitation = await invite(owner);
      await request(t.server).post(`/api/v1/invitations/${invitation.token}/accept`).send({ name: 'Quick', password: NEW_PASSWORD }).expect(200);
      const response = await owner.agent.delete(`${invitationsPath(owner)}/${invitation.id}`).set('X-CSRF-Token', owner.csrf).expect(410);
      expect(response.body.message).toBe('This invitation has already been accepted.');
      expect((await invitationRow(invitation.id)).revoked_at).toBeNull();
    });

    it('answers 404 for an unknown invitation id and 400 for one that is not a UUID', async () => {
      const unknown = await owner.agent.delete(`${invitationsPath(owner)}/00000000-0000-4000-8000-000000000000`).set('X-CSRF-Token', owner.csrf).expect(404);
      expect(unknown.body.message).toBe('No such invitation in this organization.');
      const malformed = await owner.agent.delete(`${invitationsPath(owner)}/42`).set('X-CSRF-Token', owner.csrf).expect(400);
      expect(malformed.body.statusCode).toBe(400);
    });
  });

  describe('isolation between organizations', () => {
    it('answers 404 to a member of another organization on every invitation route', async () => {
      const invitation = await invite(owner);
      const notFound = { statusCode: 404, code: 'auth.not_found', error: 'Not Found', message: 'No such organization, or you are not a member of it.' };
      const planted = freshEmail('planted');

      const create = await stranger.agent.post(invitationsPath(owner)).set('X-CSRF-Token', stranger.csrf).send({ email: planted, role: 'owner' }).expect(404);
      expect(create.body).toEqual(notFound);
      const list = await stranger.agent.get(invitationsPath(owner)).expect(404);
      expect(list.body).toEqual(notFound);
      const revoke = await stranger.agent.delete(`${invitationsPath(owner)}/${invitation.id}`).set('X-CSRF-Token', stranger.csrf).expect(404);
      expect(revoke.body).toEqual(notFound);

      // Nor does the other organization's own route reach this invitation.
      const viaOwnRoute = await stranger.agent.delete(`${invitationsPath(stranger)}/${invitation.id}`).set('X-CSRF-Token', stranger.csrf).expect(404);
      expect(viaOwnRoute.body.message).toBe('No such invitation in this organization.');
      const theirs = await stranger.agent.get(invitationsPath(stranger)).expect(200);
      expect(theirs.body.map((item: { id: string }) => item.id)).not.toContain(invitation.id);

      expect(await t.sql('SELECT id FROM invitations WHERE email = $1', [planted])).toEqual([]);
      expect((await invitationRow(invitation.id)).revoked_at).toBeNull();
      await request(t.server).get(`/api/v1/invitations/${invitation.token}`).expect(200);
    });

    it('answers 404 to an unknown organization exactly as to another one', async () => {
      const missing = await stranger.agent.post('/api/v1/orgs/no-such-org/invitations').set('X-CSRF-Token', stranger.csrf).send({ email: freshEmail(), role: 'viewer' }).expect(404);
      const foreign = await stranger.agent.post(invitationsPath(owner)).set('X-CSRF-Token', stranger.csrf).send({ email: freshEmail(), role: 'viewer' }).expect(404);
      expect(missing.body).toEqual(foreign.body);
    });
  });
});
