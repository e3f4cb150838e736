import request from 'supertest';
import { newSecretToken } from '../src/common/secret-token';
import { createToken, orgPath } from './support/assessment-fixtures';
import { csrfFrom, open, postForm } from './support/html';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

/**
 * Answers that carry a secret or are meant for one caller are kept by no cache (`Cache-Control:
 * no-store`); the public register keeps its revalidation headers. Every route answering a signed-in or
 * token caller is checked in test/isolation-matrix.e2e-spec.ts; here, the answers that carry secrets.
 */
describe('answers no cache may keep', () => {
  let t: TestApp;
  let owner: Actor;

  beforeAll(async () => {
    t = await createTestApp({ NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    owner = await t.signUp({ organization: 'Cache Careful Ltd' });
  });
  afterAll(() => t.close());

  const cacheControl = (response: request.Response) => response.headers['cache-control'];

  it('answers the session with its form token, a new API token and an invitation link with no-store, in the API and the pages', async () => {
    const session = await owner.agent.get('/api/v1/auth/session').expect(200);
    expect(session.body.csrfToken).toEqual(expect.any(String));
    expect(cacheControl(session)).toBe('no-store');

    const token = await owner.agent.post(`${orgPath(owner.organization.slug)}/tokens`).set('X-CSRF-Token', owner.csrf).send({ name: 'Cached?', scopes: ['read'] }).expect(201);
    expect(token.body.token).toMatch(/^adh_/);
    expect(cacheControl(token)).toBe('no-store');
    const invitation = await owner.agent.post(`${orgPath(owner.organization.slug)}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email: 'cached@example.org', role: 'viewer' }).expect(201);
    expect(invitation.body.token).toMatch(/^inv_/);
    expect(cacheControl(invitation)).toBe('no-store');

    const tokenForm = csrfFrom(await open(owner.agent, `/app/${owner.organization.slug}/tokens/new`));
    const tokenPage = await postForm(owner.agent, `/app/${owner.organization.slug}/tokens`, { _csrf: tokenForm, name: 'Page token', scopes: 'read' });
    expect(tokenPage.text).toMatch(/adh_/);
    expect(cacheControl(tokenPage)).toBe('no-store');
  });

  it('keeps the invitation and setup links out of caches for anyone holding them, signed in or not', async () => {
    const invitation = await owner.agent.post(`${orgPath(owner.organization.slug)}/invitations`).set('X-CSRF-Token', owner.csrf).send({ email: 'holder@example.org', role: 'viewer' }).expect(201);
    expect(cacheControl(await request(t.server).get(`/api/v1/invitations/${invitation.body.token}`).expect(200))).toBe('no-store');
    expect(cacheControl(await request(t.server).get(`/invitations/${invitation.body.token}`).expect(200))).toBe('no-store');
    const setup = newSecretToken();
    await t.sql(`INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + interval '1 day')`, [setup.hash]);
    expect(cacheControl(await request(t.server).get(`/setup/${setup.token}`).expect(200))).toBe('no-store');
  });

  it('keeps a page with a form token out of caches, and starts no session for a page without a form', async () => {
    const signIn = await request(t.server).get('/signin').expect(200);
    expect(signIn.text).toMatch(/name="_csrf" value="[0-9a-f]{64}"/);
    expect(cacheControl(signIn)).toBe('no-store');
    expect(signIn.headers['set-cookie']).toBeDefined();

    for (const path of ['/', '/codes', '/register']) {
      const page = await request(t.server).get(path).expect(200);
      expect({ path, cookie: page.headers['set-cookie'], noStore: /no-store/.test(cacheControl(page) ?? '') }).toEqual({ path, cookie: undefined, noStore: false });
    }
  });

  it('keeps the signed-in answers out of caches: the sign-in itself, and public answers read with a session or a token', async () => {
    const login = await request(t.server).post('/api/v1/auth/login').send({ email: owner.user.email, password: PASSWORD }).expect(200);
    expect(cacheControl(login)).toBe('no-store');
    expect(cacheControl(await owner.agent.get('/register').expect(200))).toBe('no-store');
    expect(cacheControl(await owner.agent.get('/').expect(200))).toBe('no-store');
    const token = await createToken(owner, ['read']);
    expect(cacheControl(await request(t.server).get('/api/v1/register').set('Authorization', `Bearer ${token}`).expect(200))).toBe('no-store');
  });

  it('leaves the public register revalidatable for anonymous visitors: an ETag, public, no-cache, and 304 when unchanged', async () => {
    for (const path of ['/api/v1/register', '/register', '/register/statistics']) {
      const first = await request(t.server).get(path).expect(200);
      expect({ path, cacheControl: cacheControl(first), etag: first.headers.etag }).toEqual({ path, cacheControl: 'public, no-cache', etag: expect.stringMatching(/^W\/"r/) });
      await request(t.server).get(path).set('If-None-Match', first.headers.etag).expect(304);
    }
  });
});
