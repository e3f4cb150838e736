import request from 'supertest';
import { createToken, OPERATOR_ENV, orgPath } from './support/assessment-fixtures';
import { COMPLAINT, newClient } from './support/complaint-fixtures';
import { csrfFrom, open, textOf } from './support/html';
import { monitoringBody, verifiedAssessment } from './support/review-fixtures';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

/** The address the service is configured with: its own pages send this Origin. */
const OWN = 'http://adhere.test';
const OTHER = 'https://other-site.example';
const CROSS_SITE = /came from .*; changes are accepted only from this service's own pages at http:\/\/adhere\.test \(PUBLIC_URL\) or with an API token\./;

/**
 * What another site's page can make a visitor's browser send: a form (urlencoded, to any address) or a
 * request with its own Origin, with the visitor's cookies or without. The JSON API takes none of the
 * former (415), and no route takes a write from another origin without an API token (403); nothing
 * is written either way. The service's own pages, and programs that send no Origin, go on working.
 */
describe('requests from other sites', () => {
  let t: TestApp;
  let owner: Actor;
  let entryId: string;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, PUBLIC_URL: OWN, COMPLAINTS_PER_HOUR: '1000', NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    owner = await t.signUp({ organization: 'Origin Checked Ltd' });
    const team = await monitoringBody(t, 'Origin Monitor');
    entryId = (await verifiedAssessment(t, owner, team)).entry.id;
  }, 120_000);
  afterAll(() => t.close());

  const count = async (table: string) => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const written = async () => ({ users: await count('users'), organizations: await count('organizations'), complaints: await count('complaints'), sessions: await count('sessions') });
  const organizationName = async () => (await t.sql<{ name: string }>(`SELECT name FROM organizations WHERE id = $1`, [owner.organization.id]))[0].name;
  const organizationVersion = async () => (await owner.agent.get(orgPath(owner.organization.slug)).expect(200)).body.version as number;
  const signUpBody = (name: string) => ({ email: `${name}@example.org`, password: PASSWORD, name, organization: { name: `${name} Org`, kind: 'provider' } });
  const signUpForm = (name: string) => `email=${name}%40example.org&password=${encodeURIComponent(PASSWORD)}&name=${name}&organization%5Bname%5D=${name}+Org&organization%5Bkind%5D=provider`;

  describe('form bodies on the JSON API', () => {
    it('refuses a form that signs a visitor in (login CSRF), signs up or files a complaint, without cookies, and writes nothing', async () => {
      const before = await written();
      const login = await request(t.server).post('/api/v1/auth/login').type('form').send(`email=${encodeURIComponent(owner.user.email)}&password=${encodeURIComponent(PASSWORD)}`).expect(415);
      expect(login.body).toEqual({ statusCode: 415, code: 'auth.unsupported_body_type', error: 'Unsupported Media Type', message: 'This route takes a body of type application/json, not application/x-www-form-urlencoded.' });
      expect(login.headers['set-cookie']).toBeUndefined();
      const signUp = await request(t.server).post('/api/v1/auth/signup').type('form').send(signUpForm('formed')).expect(415);
      expect(signUp.body.message).toMatch(/application\/json/);
      const complaint = await request(t.server)
        .post(`/api/v1/register/${entryId}/complaints`)
        .set('X-Forwarded-For', newClient())
        .type('form')
        .send(`category=${COMPLAINT.category}&text=${encodeURIComponent(COMPLAINT.text)}`)
        .expect(415);
      expect(complaint.body.message).toMatch(/application\/json/);
      // Neither a plain-text body nor one without a type gets through instead.
      await request(t.server).post('/api/v1/auth/login').set('Content-Type', 'text/plain').send(JSON.stringify({ email: owner.user.email, password: PASSWORD })).expect(415);
      expect(await written()).toEqual(before);
    });

    it('refuses a form to an organization route from a signed-in member, even with the form token', async () => {
      const version = await organizationVersion();
      const response = await owner.agent.patch(orgPath(owner.organization.slug)).set('X-CSRF-Token', owner.csrf).type('form').send(`name=Renamed+By+Form&version=${version}`).expect(415);
      expect(response.body.message).toBe('This route takes a body of type application/json, not application/x-www-form-urlencoded.');
      expect(await organizationName()).toBe('Origin Checked Ltd');
    });

    it('names every type a route takes: evidence takes a file as multipart data, a code version is YAML', async () => {
      const evidence = await owner.agent.post(`${orgPath(owner.organization.slug)}/evidence`).set('X-CSRF-Token', owner.csrf).type('form').send('kind=text&title=T&text=x').expect(415);
      expect(evidence.body.message).toBe('This route takes a body of type multipart/form-data or application/json, not application/x-www-form-urlencoded.');
      const operator = await t.signIn(OPERATOR_ENV.OPERATOR_EMAIL, OPERATOR_ENV.OPERATOR_PASSWORD);
      const code = await operator.agent.post('/api/v1/codes/validate').set('X-CSRF-Token', operator.csrf).send({ code: 'x' }).expect(415);
      expect(code.body.message).toMatch(/^This route takes a body of type application\/yaml or application\/x-yaml or text\/yaml, not application\/json\.$/);
    });
  });

  describe('writes from another origin', () => {
    it('refuses sign-in, sign-up and complaints from another origin, without cookies, and writes nothing', async () => {
      const before = await written();
      const login = await request(t.server).post('/api/v1/auth/login').set('Origin', OTHER).send({ email: owner.user.email, password: PASSWORD }).expect(403);
      expect(login.body).toEqual({ statusCode: 403, code: 'auth.cross_site', error: 'Forbidden', message: expect.stringMatching(CROSS_SITE) });
      expect(login.body.message).toContain(OTHER);
      expect(login.headers['set-cookie']).toBeUndefined();
      await request(t.server).post('/api/v1/auth/signup').set('Origin', OTHER).send(signUpBody('crossed')).expect(403);
      const complaint = await request(t.server).post(`/api/v1/register/${entryId}/complaints`).set('X-Forwarded-For', newClient()).set('Origin', OTHER).send(COMPLAINT).expect(403);
      expect(complaint.body.message).toMatch(CROSS_SITE);
      expect(await written()).toEqual(before);
    });

    it('refuses a signed-in member’s write from another origin even with the cookie and the form token', async () => {
      const version = await organizationVersion();
      const response = await owner.agent.patch(orgPath(owner.organization.slug)).set('Origin', OTHER).set('X-CSRF-Token', owner.csrf).send({ name: 'Renamed Elsewhere', version }).expect(403);
      expect(response.body.message).toMatch(CROSS_SITE);
      expect(await organizationName()).toBe('Origin Checked Ltd');
    });

    it('reads Sec-Fetch-Site when a browser sends no Origin, and counts "null" and a sibling subdomain as other origins', async () => {
      const body = { email: owner.user.email, password: PASSWORD };
      const fetched = await request(t.server).post('/api/v1/auth/login').set('Sec-Fetch-Site', 'cross-site').send(body).expect(403);
      expect(fetched.body.message).toMatch(/^This request came from another site;/);
      await request(t.server).post('/api/v1/auth/login').set('Origin', 'null').send(body).expect(403);
      await request(t.server).post('/api/v1/auth/login').set('Origin', 'http://admin.adhere.test').send(body).expect(403);
      await request(t.server).post('/api/v1/auth/login').set('Origin', 'https://adhere.test').send(body).expect(403);
    });

    it('refuses pages’ forms from another origin, signed in or not, with their form token', async () => {
      const visitor = request.agent(t.server);
      const signInToken = csrfFrom(await open(visitor, '/signin'));
      const refused = await visitor.post('/signin').set('Origin', OTHER).type('form').send(`_csrf=${signInToken}&email=${encodeURIComponent(owner.user.email)}&password=${encodeURIComponent(PASSWORD)}`).expect(403);
      expect(textOf(refused.text)).toMatch(CROSS_SITE);
      await visitor.get('/account').redirects(0).expect(303);

      const complaintToken = csrfFrom(await open(visitor, `/register/${entryId}/complaints/new`));
      const before = await count('complaints');
      await visitor.post(`/register/${entryId}/complaints`).set('X-Forwarded-For', newClient()).set('Origin', OTHER).type('form').send(`_csrf=${complaintToken}&category=other&text=From+elsewhere`).expect(403);
      expect(await count('complaints')).toBe(before);

      const settingsToken = csrfFrom(await open(owner.agent, `/app/${owner.organization.slug}/settings`));
      const version = await organizationVersion();
      await owner.agent.post(`/app/${owner.organization.slug}/settings`).set('Origin', OTHER).type('form').send(`_csrf=${settingsToken}&name=Renamed+Elsewhere&version=${version}`).expect(403);
      expect(await organizationName()).toBe('Origin Checked Ltd');
    });

    it('lets reads from anywhere through: only writes are refused', async () => {
      await request(t.server).get('/api/v1/register').set('Origin', OTHER).expect(200);
      await request(t.server).get(`/register/${entryId}`).set('Sec-Fetch-Site', 'cross-site').expect(200);
    });
  });

  describe('what goes on working', () => {
    it('takes writes from the service’s own pages (Origin = PUBLIC_URL), and from programs that send no Origin', async () => {
      await request(t.server).post('/api/v1/auth/login').set('Origin', OWN).send({ email: owner.user.email, password: PASSWORD }).expect(200);
      await request(t.server).post('/api/v1/auth/login').set('Sec-Fetch-Site', 'same-origin').send({ email: owner.user.email, password: PASSWORD }).expect(200);
      await request(t.server).post(`/api/v1/register/${entryId}/complaints`).set('X-Forwarded-For', newClient()).set('Origin', OWN).send(COMPLAINT).expect(201);
      const version = await organizationVersion();
      await owner.agent.patch(orgPath(owner.organization.slug)).set('Origin', OWN).set('X-CSRF-Token', owner.csrf).send({ name: 'Origin Checked Ltd', version }).expect(200);

      const visitor = request.agent(t.server);
      const token = csrfFrom(await open(visitor, '/signin'));
      const signedIn = await visitor.post('/signin').set('Origin', OWN).type('form').send(`_csrf=${token}&email=${encodeURIComponent(owner.user.email)}&password=${encodeURIComponent(PASSWORD)}`).expect(303);
      expect(signedIn.headers.location).toBe('/');
      // A write with no body at all has no type to refuse.
      const session = await visitor.get('/api/v1/auth/session').expect(200);
      await visitor.post('/api/v1/auth/logout').set('X-CSRF-Token', session.body.csrfToken).expect(204);
    });

    it('takes an API token’s writes from anywhere: no other site’s page can add one', async () => {
      const token = await createToken(owner, ['write']);
      const response = await request(t.server)
        .post(`${orgPath(owner.organization.slug)}/services`)
        .set('Origin', OTHER)
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'Called From A Script', profile: {} })
        .expect(201);
      expect(response.body.name).toBe('Called From A Script');
    });
  });
});
