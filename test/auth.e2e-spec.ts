import request from 'supertest';
import { CLIENT_FAILURE_LIMIT, SIGN_IN_REFUSED } from '../src/auth/sign-in.service';
import { createTestApp, PASSWORD, TestApp } from './support/test-app';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Failed sign-ins of one test must not throttle the next: every request here comes from one address.
  beforeEach(() => t.sql(`DELETE FROM sign_in_attempts`));

  const count = async (table: string) => Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  describe('sign-up', () => {
    it('creates the person and their organization, as its owner, and signs them in', async () => {
      const agent = request.agent(t.server);
      const response = await agent
        .post('/api/v1/auth/signup')
        .send({ email: 'Founder@Example.org', password: PASSWORD, name: 'Fay Founder', organization: { name: 'Safe Scan Ltd', kind: 'provider' } })
        .expect(201);
      expect(response.body).toEqual({
        user: { id: expect.any(String), email: 'Founder@Example.org', name: 'Fay Founder' },
        organization: expect.objectContaining({ id: expect.any(String), slug: 'safe-scan-ltd', name: 'Safe Scan Ltd', kind: 'provider' }),
      });
      const cookie = response.headers['set-cookie'][0];
      expect(cookie).toMatch(/^adhere\.sid=/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);

      const session = await agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.user).toMatchObject({ email: 'Founder@Example.org', isOperator: false });
      expect(session.body.memberships).toEqual([{ organization: { id: response.body.organization.id, slug: 'safe-scan-ltd', kind: 'provider' }, role: 'owner' }]);
      expect(session.body.csrfToken).toMatch(/^[0-9a-f]{32,}$/);
      const [stored] = await t.sql<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [response.body.user.id]);
      expect(stored.password_hash).toMatch(/^\$argon2id\$/);
      expect(await count('sessions')).toBeGreaterThan(0);
    });

    it('makes the founder of a monitoring body its admin', async () => {
      const actor = await t.signUp({ kind: 'monitoring_body' });
      const session = await actor.agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.memberships[0].role).toBe('admin');
    });

    it('refuses an email address that exists in another letter case, and writes nothing', async () => {
      const before = [await count('users'), await count('organizations')];
      const response = await request(t.server)
        .post('/api/v1/auth/signup')
        .send({ email: 'FOUNDER@example.ORG', password: PASSWORD, name: 'Copy', organization: { name: 'Copycat', kind: 'provider' } })
        .expect(409);
      expect(response.body.details).toEqual({ email: ['An account with this email address already exists'] });
      expect([await count('users'), await count('organizations')]).toEqual(before);
    });

    it('lets one of two simultaneous sign-ups with the same email through, and answers the other with 409', async () => {
      const body = { email: 'twins@example.org', password: PASSWORD, name: 'Twin', organization: { name: 'Twin Org', kind: 'provider' } };
      const statuses = (await Promise.all([1, 2].map(() => request(t.server).post('/api/v1/auth/signup').send(body)))).map((response) => response.status);
      expect(statuses.sort()).toEqual([201, 409]);
      expect(await t.sql(`SELECT 1 FROM users WHERE lower(email) = 'twins@example.org'`)).toHaveLength(1);
      expect(await t.sql(`SELECT 1 FROM organizations WHERE name = 'Twin Org'`)).toHaveLength(1);
    });

    it('names every bad field and writes nothing', async () => {
      const before = [await count('users'), await count('organizations'), await count('memberships')];
      const response = await request(t.server)
        .post('/api/v1/auth/signup')
        .send({ email: 'not-an-email', password: 'short', name: 'X', organization: { name: 'Org', kind: 'government' }, isOperator: true })
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(Object.keys(response.body.details).sort()).toEqual(['email', 'isOperator', 'organization.kind', 'password']);
      expect(response.body.details.isOperator).toEqual(['isOperator is not an accepted field']);
      expect(response.body.message).toContain('organization.kind');
      expect([await count('users'), await count('organizations'), await count('memberships')]).toEqual(before);
    });

    it('answers malformed JSON with a 400 that says so', async () => {
      const response = await request(t.server).post('/api/v1/auth/signup').set('Content-Type', 'application/json').send('{"email": ').expect(400);
      expect(response.body.message).toMatch(/could not be read|JSON/i);
    });
  });

  describe('sign-in and sign-out', () => {
    let email: string;
    beforeAll(async () => {
      email = (await t.signUp()).user.email;
    });

    it('signs in with the right password, case-insensitively by email, and out again', async () => {
      const agent = request.agent(t.server);
      const login = await agent.post('/api/v1/auth/login').send({ email: email.toUpperCase(), password: PASSWORD }).expect(200);
      expect(login.body.user).toMatchObject({ email });
      const { body } = await agent.get('/api/v1/auth/session').expect(200);
      await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', body.csrfToken).expect(204);
      await agent.get('/api/v1/auth/session').expect(401);
    });

    it('refuses a wrong password, and missing fields by name', async () => {
      const wrong = await request(t.server).post('/api/v1/auth/login').send({ email, password: 'wrong password!' }).expect(401);
      expect(wrong.body.message).toBe(SIGN_IN_REFUSED);
      const missing = await request(t.server).post('/api/v1/auth/login').send({ email }).expect(400);
      expect(missing.body.details).toEqual({ password: ['password is required'] });
    });

    it('gives the same answer for an unknown email as for a wrong password', async () => {
      const response = await request(t.server).post('/api/v1/auth/login').send({ email: 'nobody@example.org', password: PASSWORD }).expect(401);
      expect(response.body.message).toBe(SIGN_IN_REFUSED);
    });
  });

  describe('the per-client brake', () => {
    it(`refuses a client after ${CLIENT_FAILURE_LIMIT} failed sign-ins in the window`, async () => {
      await t.sql(`DELETE FROM sign_in_attempts`);
      for (let attempt = 0; attempt < CLIENT_FAILURE_LIMIT; attempt += 1) {
        await request(t.server).post('/api/v1/auth/login').send({ email: `guess-${attempt}@example.org`, password: 'guess guess guess' }).expect(401);
      }
      const refused = await request(t.server).post('/api/v1/auth/login').send({ email: 'another@example.org', password: PASSWORD }).expect(429);
      expect(refused.body.message).toMatch(/Too many failed sign-ins/);
      expect(refused.headers['retry-after']).toBeDefined();
      await t.sql(`DELETE FROM sign_in_attempts`);
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated write without the token, and accepts it with the token', async () => {
      const actor = await t.signUp();
      const body = { email: 'colleague@example.org', role: 'viewer' };
      const refused = await actor.agent.post(`/api/v1/orgs/${actor.organization.slug}/invitations`).send(body).expect(403);
      expect(refused.body.message).toMatch(/X-CSRF-Token/);
      await actor.agent.post(`/api/v1/orgs/${actor.organization.slug}/invitations`).set('X-CSRF-Token', 'f'.repeat(64)).send(body).expect(403);
      expect(await t.sql(`SELECT 1 FROM invitations WHERE organization_id = $1`, [actor.organization.id])).toHaveLength(0);
      await actor.agent.post(`/api/v1/orgs/${actor.organization.slug}/invitations`).set('X-CSRF-Token', actor.csrf).send(body).expect(201);
    });

    it('refuses a web form without its token', async () => {
      const response = await request(t.server).post('/signin').type('form').send({ email: 'a@example.org', password: PASSWORD }).expect(403);
      expect(response.text).toContain('did not come from this site');
    });
  });

  describe('password change', () => {
    it('needs the current password, ends the other sessions and takes the new password', async () => {
      const actor = await t.signUp();
      const elsewhere = await t.signIn(actor.user.email);
      const wrong = await actor.agent
        .put('/api/v1/auth/password')
        .set('X-CSRF-Token', actor.csrf)
        .send({ currentPassword: 'not it at all', newPassword: 'a brand new passphrase' })
        .expect(400);
      expect(wrong.body.details).toEqual({ currentPassword: ['The current password is wrong'] });
      const tooShort = await actor.agent.put('/api/v1/auth/password').set('X-CSRF-Token', actor.csrf).send({ currentPassword: PASSWORD, newPassword: 'short' }).expect(400);
      expect(Object.keys(tooShort.body.details)).toEqual(['newPassword']);

      await actor.agent.put('/api/v1/auth/password').set('X-CSRF-Token', actor.csrf).send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' }).expect(204);
      await actor.agent.get('/api/v1/auth/session').expect(200);
      await elsewhere.agent.get('/api/v1/auth/session').expect(401);
      await request(t.server).post('/api/v1/auth/login').send({ email: actor.user.email, password: PASSWORD }).expect(401);
      await request(t.server).post('/api/v1/auth/login').send({ email: actor.user.email, password: 'a brand new passphrase' }).expect(200);
      const events = await t.sql(`SELECT 1 FROM audit_events WHERE action = 'account.password_changed' AND target_id = $1`, [actor.user.id]);
      expect(events).toHaveLength(1);
    });
  });
});
