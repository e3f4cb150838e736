import fc from 'fast-check';
import { Actor, createTestApp, TestApp } from './support/test-app';

const QUESTION_KEYS = ['provider_roles', 'tool_types', 'service_types', 'directed_at_children', 'children_user_share', 'end_to_end_encrypted', 'interpersonal_communications', 'eu_users'];
const awkward = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 3_000 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'hash_matching', 'messaging', 'true', 'nul\u0000inside'),
  fc.array(fc.constantFrom('hash_matching', 'classifier', 'develops', 'messaging', 'nope', ''), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const profile = fc.dictionary(fc.oneof(fc.constantFrom(...QUESTION_KEYS, '__proto__', 'constructor'), fc.string({ maxLength: 20 })), awkward, { maxKeys: 6 });
const serviceBody = fc.record(
  { name: awkward, description: awkward, url: fc.oneof(awkward, fc.webUrl()), profile: fc.oneof(profile, awkward), extra: awkward },
  { requiredKeys: [] },
);

/** Whatever a client sends about a service, the answer is a verdict, never a server error or a half-written row. */
describe('services under arbitrary input', () => {
  let t: TestApp;
  let owner: Actor;
  const rows = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM services'))[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp({ organization: 'Fuzzed Provider' });
  });
  afterAll(() => t.close());

  it('creates a service or refuses the body, and a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(serviceBody, async (body) => {
        const before = await rows();
        const response = await owner.agent.post(`/api/v1/orgs/${owner.organization.slug}/services`).set('X-CSRF-Token', owner.csrf).send(body);
        expect([201, 400, 409]).toContain(response.status);
        expect(await rows()).toBe(before + (response.status === 201 ? 1 : 0));
        // The application runs in this process: a `__proto__` key merged carelessly would show here.
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  // 150 updates, each checked against the database: past Jest's default time on the embedded database.
  it('updates a service or refuses the change, and a refusal changes nothing', async () => {
    const created = await owner.agent
      .post(`/api/v1/orgs/${owner.organization.slug}/services`)
      .set('X-CSRF-Token', owner.csrf)
      .send({ name: 'Steady service', profile: { directed_at_children: true } })
      .expect(201);
    const path = `/api/v1/orgs/${owner.organization.slug}/services/${created.body.id}`;
    await fc.assert(
      fc.asyncProperty(serviceBody, fc.oneof(fc.constant(undefined), awkward), async (body, version) => {
        const before = (await owner.agent.get(path).expect(200)).body;
        const response = await owner.agent.patch(path).set('X-CSRF-Token', owner.csrf).send({ ...body, version: version === undefined ? before.version : version });
        expect([200, 400, 409]).toContain(response.status);
        const after = (await owner.agent.get(path).expect(200)).body;
        if (response.status === 200) expect(after.version).toBe(before.version + 1);
        else expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('answers malformed JSON with 400', async () => {
    const response = await owner.agent
      .post(`/api/v1/orgs/${owner.organization.slug}/services`)
      .set('X-CSRF-Token', owner.csrf)
      .set('Content-Type', 'application/json')
      .send('{"name": "Broken",');
    expect(response.status).toBe(400);
  });
});
