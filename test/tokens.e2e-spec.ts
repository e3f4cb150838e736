import { createHash } from 'node:crypto';
import request from 'supertest';
import { Actor, createTestApp, TestApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('API tokens', () => {
  let t: TestApp;
  let owner: Actor;
  let stranger: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp({ organization: 'Token Owners' });
    stranger = await t.signUp({ organization: 'Token Strangers' });
  });
  afterAll(() => t.close());

  const tokensPath = (actor: Pick<Actor, 'organization'>) => `/api/v1/orgs/${actor.organization.slug}/tokens`;

  /** Creates a token as the actor (a signed-in owner) and returns the whole answer. */
  async function createToken(actor: Actor, body: Record<string, unknown> = {}) {
    const response = await actor.agent
      .post(tokensPath(actor))
      .set('X-CSRF-Token', actor.csrf)
      .send({ name: 'CI pipeline', scopes: ['read'], ...body })
      .expect(201);
    return response.body as { id: string; token: string; prefix: string; name: string; scopes: string[]; expiresAt: string | null };
  }


  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  describe('creating a token', () => {
    it('answers the secret token once, with its metadata and no hash', async () => {
      const created = await createToken(owner, { name: '  Nightly export  ', scopes: ['read', 'write', 'read'] });
      expect(created).toEqual({
        id: expect.stringMatching(UUID),
        name: 'Nightly export',
        prefix: created.token.slice(0, 10),
        scopes: ['read', 'write'],
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
        createdAt: expect.any(String),
        token: expect.stringMatching(/^adh_[A-Za-z0-9_-]{43}$/),
      });
      expect(created.prefix).toMatch(/^adh_.{6}$/);
    });

    it('keeps an expiry in the future', async () => {
      const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const created = await createToken(owner, { expiresAt });
      expect(created.expiresAt).toBe(expiresAt);
      const [row] = await t.sql<{ expires_at: Date }>('SELECT expires_at FROM api_tokens WHERE id = $1', [created.id]);
      expect(new Date(row.expires_at).toISOString()).toBe(expiresAt);
    });

    it('refuses an expiry in the past, naming expiresAt, and stores nothing', async () => {
      const before = await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM api_tokens');
      const response = await owner.agent
        .post(tokensPath(owner))
        .set('X-CSRF-Token', owner.csrf)
        .send({ name: 'Already over', scopes: ['read'], expiresAt: new Date(Date.now() - 60_000).toISOString() })
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: { expiresAt: ['expiresAt must be in the future'] } });
      expect(response.body.message).toContain('expiresAt');
      expect(Object.keys(response.body.details)).toEqual(['expiresAt']);
      expect(await t.sql('SELECT count(*)::int AS count FROM api_tokens')).toEqual(before);
    });

    it('refuses an expiry that is not a date', async () => {
      const response = await owner.agent
        .post(tokensPath(owner))
        .set('X-CSRF-Token', owner.csrf)
        .send({ name: 'Someday', scopes: ['read'], expiresAt: 'next tuesday' })
        .expect(400);
      expect(response.body.details.expiresAt).toContain('expiresAt must be a date-time such as 2027-01-31T00:00:00Z');
    });

    it('names every invalid field: a missing name, unknown scopes, an unknown field', async () => {
      const response = await owner.agent
        .post(tokensPath(owner))
        .set('X-CSRF-Token', owner.csrf)
        .send({ scopes: ['admin'], owner: true })
        .expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(response.body.details).toEqual({
        name: expect.arrayContaining([expect.stringContaining('name')]),
        scopes: ['each scope must be read or write'],
        owner: ['owner is not an accepted field'],
      });
    });

    it('refuses a name of only spaces, which would be stored empty', async () => {
      const response = await owner.agent.post(tokensPath(owner)).set('X-CSRF-Token', owner.csrf).send({ name: '   ', scopes: ['read'] });
      expect(response.status).toBe(400);
      expect(response.body.details).toHaveProperty('name');
      expect(await t.sql("SELECT id FROM api_tokens WHERE btrim(name) = ''")).toEqual([]);
    });

    it('refuses an empty list of scopes', async () => {
      const response = await owner.agent.post(tokensPath(owner)).set('X-CSRF-Token', owner.csrf).send({ name: 'Nothing', scopes: [] }).expect(400);
      expect(response.body.details).toEqual({ scopes: ['scopes must contain read, write or both'] });
    });

    it('refuses a cookie-authenticated creation without the CSRF token', async () => {
      const response = await owner.agent.post(tokensPath(owner)).send({ name: 'Forged', scopes: ['read'] }).expect(403);
      expect(response.body.message).toContain('X-CSRF-Token');
      expect(await t.sql("SELECT id FROM api_tokens WHERE name = 'Forged'")).toEqual([]);
    });

    it('records api_token.created in the audit log, without the secret', async () => {
      const created = await createToken(owner, { name: 'Audited', scopes: ['write'] });
      const audit = await owner.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit`).expect(200);
      const event = audit.body.items.find((item: { targetId: string }) => item.targetId === created.id);
      expect(event).toMatchObject({
        action: 'api_token.created',
        targetType: 'api_token',
        actorUserId: owner.user.id,
        organizationId: owner.organization.id,
        data: { name: 'Audited', scopes: ['write'] },
      });
      expect(JSON.stringify(audit.body)).not.toContain(created.token);
    });
  });

  describe('storage', () => {
    it('stores only the sha256 hex of the token, in no column the token itself', async () => {
      const created = await createToken(owner, { name: 'Hashed' });
      const [row] = await t.sql<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = $1', [created.id]);
      expect(row.token_hash).toBe(sha256(created.token));
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_prefix).toBe(created.prefix);
      expect(JSON.stringify(row)).not.toContain(created.token);
      const [{ count }] = await t.sql<{ count: number }>(
        `SELECT count(*)::int AS count FROM api_tokens WHERE api_tokens::text LIKE '%' || $1 || '%'`,
        [created.token],
      );
      expect(count).toBe(0);
      const [{ events }] = await t.sql<{ events: number }>(
        `SELECT count(*)::int AS events FROM audit_events WHERE audit_events::text LIKE '%' || $1 || '%'`,
        [created.token],
      );
      expect(events).toBe(0);
    });
  });

  describe('listing tokens', () => {
    it('lists the organization’s tokens, newest first, never with the token or its hash', async () => {
      const first = await createToken(owner, { name: 'Listed one' });
      const second = await createToken(owner, { name: 'Listed two', scopes: ['write'] });
      const response = await owner.agent.get(tokensPath(owner)).expect(200);
      const ids = response.body.map((token: { id: string }) => token.id);
      expect(ids.indexOf(second.id)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
      expect(response.body.find((token: { id: string }) => token.id === second.id)).toEqual({
        id: second.id,
        name: 'Listed two',
        prefix: second.prefix,
        scopes: ['write'],
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
        createdAt: expect.any(String),
      });
      const text = JSON.stringify(response.body);
      for (const created of [first, second]) {
        expect(text).not.toContain(created.token);
        expect(text).not.toContain(sha256(created.token));
      }
      expect(text).not.toMatch(/token_?hash/i);
    });
  });

  describe('authenticating with a token', () => {
    it('lets a read token read the organization, its members and its audit log', async () => {
      const { token, id } = await createToken(owner, { name: 'Reader' });
      const organization = await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token)).expect(200);
      expect(organization.body).toMatchObject({ id: owner.organization.id, slug: owner.organization.slug, kind: 'provider', role: null });
      const members = await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}/members`).set(bearer(token)).expect(200);
      expect(members.body).toEqual([expect.objectContaining({ userId: owner.user.id, email: owner.user.email, role: 'owner' })]);
      const audit = await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}/audit`).set(bearer(token)).expect(200);
      expect(audit.body.items.map((event: { action: string }) => event.action)).toContain('api_token.created');
      const [row] = await t.sql<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_tokens WHERE id = $1', [id]);
      expect(row.last_used_at).not.toBeNull();
    });

    it('serves a page to a read token without starting a session or offering forms', async () => {
      const { token } = await createToken(owner, { name: 'Page reader' });
      const sessionsBefore = await t.sql('SELECT sid FROM sessions');
      const page = await request(t.server).get(`/app/${owner.organization.slug}/members`).set(bearer(token)).expect(200);
      expect(page.headers['set-cookie']).toBeUndefined();
      expect(page.text).toContain(owner.user.email);
      expect(page.text).not.toContain('Invite a colleague');
      expect(await t.sql('SELECT sid FROM sessions')).toEqual(sessionsBefore);
    });

    it('lets a write token read as well', async () => {
      const { token } = await createToken(owner, { name: 'Writer', scopes: ['write'] });
      const response = await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token)).expect(200);
      expect(response.body.id).toBe(owner.organization.id);
    });

    it('needs no CSRF token for a token-authenticated write', async () => {
      // Administration is refused to every token, but by permission (403 FORBIDDEN), not by the CSRF check.
      const { token } = await createToken(owner, { name: 'No CSRF', scopes: ['write'] });
      const response = await request(t.server)
        .post(`/api/v1/orgs/${owner.organization.slug}/invitations`)
        .set(bearer(token))
        .send({ email: 'nobody@example.org', role: 'viewer' })
        .expect(403);
      expect(response.body.message).not.toContain('CSRF');
      expect(response.body.message).toContain('members.manage');
    });

    it('refuses an unknown token with 401', async () => {
      const response = await request(t.server)
        .get(`/api/v1/orgs/${owner.organization.slug}`)
        .set(bearer('adh_thisTokenWasNeverIssuedByAdhereAtAll0123456789'))
        .expect(401);
      expect(response.body).toEqual({ statusCode: 401, code: 'auth.token_invalid', error: 'Unauthorized', message: 'The API token is not valid.' });
    });

    it('refuses a token without the adh_ prefix with 401', async () => {
      const { token } = await createToken(owner, { name: 'Stripped' });
      const response = await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token.slice(4))).expect(401);
      expect(response.body.message).toBe('The API token is not valid.');
    });

    it('refuses an expired token with 401, saying it expired', async () => {
      const { token, id } = await createToken(owner, { name: 'Expiring' });
      await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token)).expect(200);
      await t.sql(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
      const response = await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token)).expect(401);
      expect(response.body.statusCode).toBe(401);
      expect(response.body.message).toMatch(/expired/);
    });

    it('refuses a token on a route that needs a signed-in person with 403', async () => {
      const { token } = await createToken(owner, { name: 'Session seeker' });
      const session = await request(t.server).get('/api/v1/auth/session').set(bearer(token)).expect(403);
      expect(session.body.message).toContain('signed-in person');
      expect(session.body).not.toHaveProperty('csrfToken');
      const founding = await request(t.server).post('/api/v1/orgs').set(bearer(token)).send({ name: 'Token Founded', kind: 'provider' }).expect(403);
      expect(founding.body.statusCode).toBe(403);
      expect(await t.sql("SELECT id FROM organizations WHERE name = 'Token Founded'")).toEqual([]);
    });

    it('never lets a token administer: members, invitations, tokens and settings answer 403', async () => {
      const { token } = await createToken(owner, { name: 'Ambitious', scopes: ['read', 'write'] });
      const org = `/api/v1/orgs/${owner.organization.slug}`;
      const [membership] = await t.sql<{ id: string }>('SELECT id FROM memberships WHERE organization_id = $1', [owner.organization.id]);
      const attempts = [
        request(t.server).get(`${org}/tokens`).set(bearer(token)),
        request(t.server).post(`${org}/tokens`).set(bearer(token)).send({ name: 'Minted by a token', scopes: ['write'] }),
        request(t.server).get(`${org}/invitations`).set(bearer(token)),
        request(t.server).post(`${org}/invitations`).set(bearer(token)).send({ email: 'minted@example.org', role: 'owner' }),
        request(t.server).patch(`${org}/members/${membership.id}`).set(bearer(token)).send({ role: 'viewer', version: 1 }),
        request(t.server).delete(`${org}/members/${membership.id}`).set(bearer(token)),
        request(t.server).patch(org).set(bearer(token)).send({ name: 'Renamed by a token', version: 1 }),
      ];
      for (const attempt of attempts) {
        const response = await attempt;
        expect([response.status, response.body.statusCode]).toEqual([403, 403]);
        expect(response.body.message).toMatch(/API token's scopes \(read, write\) do not allow/);
      }
      expect(await t.sql("SELECT id FROM api_tokens WHERE name = 'Minted by a token'")).toEqual([]);
      expect(await t.sql("SELECT id FROM invitations WHERE email = 'minted@example.org'")).toEqual([]);
      expect(await t.sql('SELECT role FROM memberships WHERE id = $1', [membership.id])).toEqual([{ role: 'owner' }]);
      expect(await t.sql('SELECT name FROM organizations WHERE id = $1', [owner.organization.id])).toEqual([{ name: owner.organization.name }]);
    });

    it('refuses a read token that tries to invite (403), creating nothing', async () => {
      const { token } = await createToken(owner, { name: 'Read-only inviter' });
      const response = await request(t.server)
        .post(`/api/v1/orgs/${owner.organization.slug}/invitations`)
        .set(bearer(token))
        .send({ email: 'read-invitee@example.org', role: 'viewer' })
        .expect(403);
      expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(response.body.message).toContain('(read)');
      expect(await t.sql("SELECT id FROM invitations WHERE email = 'read-invitee@example.org'")).toEqual([]);
    });
  });

  describe('revoking a token', () => {
    it('revokes with 204; the token then answers 401 saying it was revoked', async () => {
      const { token, id } = await createToken(owner, { name: 'Short-lived' });
      await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token)).expect(200);
      const revoked = await owner.agent.delete(`${tokensPath(owner)}/${id}`).set('X-CSRF-Token', owner.csrf).expect(204);
      expect(revoked.text).toBe('');
      const response = await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token)).expect(401);
      expect(response.body.statusCode).toBe(401);
      expect(response.body.message).toMatch(/revoked/);

      const list = await owner.agent.get(tokensPath(owner)).expect(200);
      expect(list.body.find((item: { id: string }) => item.id === id).revokedAt).toEqual(expect.any(String));
      const [row] = await t.sql<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_tokens WHERE id = $1', [id]);
      expect(row.revoked_at).not.toBeNull();

      const audit = await owner.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit`).expect(200);
      expect(audit.body.items).toContainEqual(expect.objectContaining({ action: 'api_token.revoked', targetId: id, data: { name: 'Short-lived' } }));
    });

    it('revokes only once: a second DELETE records no second event', async () => {
      const { id } = await createToken(owner, { name: 'Twice revoked' });
      await owner.agent.delete(`${tokensPath(owner)}/${id}`).set('X-CSRF-Token', owner.csrf).expect(204);
      const [first] = await t.sql<{ revoked_at: Date }>('SELECT revoked_at FROM api_tokens WHERE id = $1', [id]);
      await owner.agent.delete(`${tokensPath(owner)}/${id}`).set('X-CSRF-Token', owner.csrf).expect(204);
      const [second] = await t.sql<{ revoked_at: Date }>('SELECT revoked_at FROM api_tokens WHERE id = $1', [id]);
      expect(second.revoked_at).toEqual(first.revoked_at);
      const events = await t.sql("SELECT id FROM audit_events WHERE action = 'api_token.revoked' AND target_id = $1", [id]);
      expect(events).toHaveLength(1);
    });

    it('answers 404 for an unknown token id and 400 for an id that is not a UUID', async () => {
      const unknown = await owner.agent.delete(`${tokensPath(owner)}/00000000-0000-4000-8000-000000000000`).set('X-CSRF-Token', owner.csrf).expect(404);
      expect(unknown.body.message).toBe('No such API token in this organization.');
      const malformed = await owner.agent.delete(`${tokensPath(owner)}/not-a-uuid`).set('X-CSRF-Token', owner.csrf).expect(400);
      expect(malformed.body.statusCode).toBe(400);
    });
  });

  describe('who may manage tokens', () => {
    it('refuses editors and viewers (403) on every token route', async () => {
      const { id } = await createToken(owner, { name: 'Guarded' });
      for (const role of ['editor', 'viewer']) {
        const member = await t.addMember(owner, role);
        const list = await member.agent.get(tokensPath(owner)).expect(403);
        expect(list.body.message).toBe(`Your role (${role}) does not allow tokens.manage.`);
        const create = await member.agent.post(tokensPath(owner)).set('X-CSRF-Token', member.csrf).send({ name: `By ${role}`, scopes: ['read'] }).expect(403);
        expect(create.body.message).toContain(role);
        const revoke = await member.agent.delete(`${tokensPath(owner)}/${id}`).set('X-CSRF-Token', member.csrf).expect(403);
        expect(revoke.body.statusCode).toBe(403);
      }
      expect(await t.sql("SELECT id FROM api_tokens WHERE name IN ('By editor', 'By viewer')")).toEqual([]);
      expect(await t.sql('SELECT revoked_at FROM api_tokens WHERE id = $1', [id])).toEqual([{ revoked_at: null }]);
    });

    it('lets a monitoring body admin manage tokens', async () => {
      const admin = await t.signUp({ kind: 'monitoring_body', organization: 'Token Monitors' });
      const created = await createToken(admin, { name: 'Monitor reader' });
      const response = await request(t.server).get(`/api/v1/orgs/${admin.organization.slug}`).set(bearer(created.token)).expect(200);
      expect(response.body).toMatchObject({ id: admin.organization.id, kind: 'monitoring_body' });
    });

    it('refuses anyone not signed in with 401', async () => {
      const response = await request(t.server).get(tokensPath(owner)).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, message: 'Sign in first.' });
    });
  });

  describe('isolation between organizations', () => {
    it('answers 404 to a member of another organization on every token route', async () => {
      const { token, id } = await createToken(owner, { name: 'Not theirs' });
      const notFound = { statusCode: 404, code: 'auth.not_found', error: 'Not Found', message: 'No such organization, or you are not a member of it.' };

      const list = await stranger.agent.get(tokensPath(owner)).expect(404);
      expect(list.body).toEqual(notFound);
      const create = await stranger.agent.post(tokensPath(owner)).set('X-CSRF-Token', stranger.csrf).send({ name: 'Planted', scopes: ['read'] }).expect(404);
      expect(create.body).toEqual(notFound);
      const revoke = await stranger.agent.delete(`${tokensPath(owner)}/${id}`).set('X-CSRF-Token', stranger.csrf).expect(404);
      expect(revoke.body).toEqual(notFound);

      // The other organization's own route does not reach this token either.
      const viaOwnRoute = await stranger.agent.delete(`${tokensPath(stranger)}/${id}`).set('X-CSRF-Token', stranger.csrf).expect(404);
      expect(viaOwnRoute.body.message).toBe('No such API token in this organization.');

      expect(await t.sql("SELECT id FROM api_tokens WHERE name = 'Planted'")).toEqual([]);
      await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set(bearer(token)).expect(200);
      const theirs = await stranger.agent.get(tokensPath(stranger)).expect(200);
      expect(theirs.body.map((item: { id: string }) => item.id)).not.toContain(id);
    });

    it('answers 404 when a token of one organization is used on another’s routes', async () => {
      const { token } = await createToken(owner, { name: 'Wanderer' });
      const other = `/api/v1/orgs/${stranger.organization.slug}`;
      for (const path of [other, `${other}/members`, `${other}/audit`, `${other}/tokens`]) {
        const response = await request(t.server).get(path).set(bearer(token)).expect(404);
        expect(response.body.message).toBe('No such organization, or you are not a member of it.');
        expect(JSON.stringify(response.body)).not.toContain(stranger.organization.id);
      }
    });

    it('answers an unknown organization exactly as another one', async () => {
      const { token } = await createToken(owner, { name: 'Explorer' });
      const missing = await request(t.server).get('/api/v1/orgs/no-such-organization').set(bearer(token)).expect(404);
      const foreign = await request(t.server).get(`/api/v1/orgs/${stranger.organization.slug}`).set(bearer(token)).expect(404);
      expect(missing.body).toEqual(foreign.body);
    });
  });
});
