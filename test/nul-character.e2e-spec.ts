import request from 'supertest';
import { Actor, createTestApp, TestApp } from './support/test-app';

const OPERATOR = { email: 'nul-operator@example.org', password: 'operator passphrase 1' };
const LEVELS = '[{level: 1, name: a, description: b}, {level: 2, name: a, description: b}, {level: 3, name: a, description: b}]';

/**
 * PostgreSQL text cannot hold U+0000. Wherever a client can put one — a JSON body, a form, a query, a
 * path, a code file — the answer is a 400 that names the field, and nothing is written.
 */
describe('the NUL character in input', () => {
  let t: TestApp;
  let owner: Actor;
  const count = async (table: string) => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password });
    owner = await t.signUp({ organization: 'Nul Checks' });
  });
  afterAll(() => t.close());

  it('is refused in a JSON body, naming the field, before anything is written', async () => {
    const before = await count('services');
    const response = await owner.agent
      .post(`/api/v1/orgs/${owner.organization.slug}/services`)
      .set('X-CSRF-Token', owner.csrf)
      .send({ name: 'Fine', description: 'before\u0000after' })
      .expect(400);
    expect(response.body.details).toEqual({ description: ['description must not contain the NUL character'] });
    expect(await count('services')).toBe(before);
  });

  it('is refused in a nested key', async () => {
    const response = await owner.agent
      .post(`/api/v1/orgs/${owner.organization.slug}/services`)
      .set('X-CSRF-Token', owner.csrf)
      .send({ name: 'Fine', profile: { 'eu\u0000users': true } })
      .expect(400);
    expect(Object.keys(response.body.details)).toEqual(['profile.eu\u0000users']);
  });

  it('is refused at sign-in, which reads the body before any validation', async () => {
    const response = await request(t.server).post('/api/v1/auth/login').send({ email: 'someone\u0000@example.org', password: 'long enough password' }).expect(400);
    expect(response.body.details).toEqual({ email: ['email must not contain the NUL character'] });
  });

  it('is refused in a query and in a path parameter', async () => {
    await request(t.server).get('/api/v1/codes/csea-detection-tools/diff?from=1.0%000').expect(400);
    const response = await request(t.server).get('/api/v1/codes/csea%00tools/versions/1.0.0').expect(400);
    expect(response.body.details).toEqual({ code: ['code must not contain the NUL character'] });
  });

  it('is refused inside a code file, where YAML writes it as \\0', async () => {
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    const yaml = `code: nul-code\ntitle: "A\\0B"\nowner: o\nversion: 1.0.0\neffective_date: '2027-01-01'\nsummary: s\nlevels: ${LEVELS}\nsections: [{key: S, title: T, requirements: [{key: R-1, title: t, text: t, level: 1, evidence_required: true}]}]\n`;
    const before = await count('code_versions');
    const response = await operator.agent.post('/api/v1/codes').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(yaml).expect(400);
    expect(response.body.details).toEqual({ title: ['must not contain the NUL character'] });
    expect(await count('code_versions')).toBe(before);
  });
});
