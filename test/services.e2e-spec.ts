import request from 'supertest';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NO_SUCH_ORGANIZATION = { statusCode: 404, code: 'auth.not_found', error: 'Not Found', message: 'No such organization, or you are not a member of it.' };
const NO_SUCH_SERVICE = { statusCode: 404, code: 'service.not_found', error: 'Not Found', message: 'There is no such service in this organization.' };
const CODE = 'csea-detection-tools';

/** Every question of the bundled code's current version answered, for a service directed at children. */
const CHILD_DIRECTED = {
  provider_roles: ['deploys'],
  tool_types: ['hash_matching', 'classifier'],
  service_types: ['messaging', 'social_network'],
  directed_at_children: true,
  children_user_share: 'from_20_to_50_percent',
  end_to_end_encrypted: false,
  interpersonal_communications: true,
  eu_users: true,
};
/** The same service, neither directed at children nor widely used by them (by the measured test). */
const NOT_FOR_CHILDREN = { directed_at_children: false, children_user_share: 'under_5_percent' };

/** The rule of the requirements for services directed at or widely used by children. */
const FOR_CHILDREN = 'directed_at_children || children_user_share in ["from_5_to_20_percent", "from_20_to_50_percent", "from_50_percent", "not_measured"]';

/**
 * Whether each rule of the bundled code holds for CHILD_DIRECTED (and for the same profile not directed
 * at children): every rule the code uses must be listed here, so a new rule cannot go unchecked.
 */
const RULES: Record<string, { childDirected: boolean; notChildDirected: boolean }> = {
  [FOR_CHILDREN]: { childDirected: true, notChildDirected: false },
  '!directed_at_children && children_user_share in ["under_5_percent", "no_service"]': { childDirected: false, notChildDirected: true },
  end_to_end_encrypted: { childDirected: false, notChildDirected: false },
  eu_users: { childDirected: true, notChildDirected: true },
  '"grooming_detection" in tool_types': { childDirected: false, notChildDirected: false },
  '"classifier" in tool_types': { childDirected: true, notChildDirected: true },
  '"hash_matching" in tool_types': { childDirected: true, notChildDirected: true },
  '"licenses" in provider_roles': { childDirected: false, notChildDirected: false },
  '"develops" in provider_roles': { childDirected: false, notChildDirected: false },
  '"deploys" in provider_roles': { childDirected: true, notChildDirected: true },
  '"hash_matching" in tool_types || "deploys" in provider_roles': { childDirected: true, notChildDirected: true },
  'interpersonal_communications || "messaging" in service_types': { childDirected: true, notChildDirected: true },
  'interpersonal_communications && eu_users': { childDirected: true, notChildDirected: true },
};

interface Requirement {
  key: string;
  appliesWhen: string | null;
}

describe('services', () => {
  let t: TestApp;
  let owner: Actor;
  let other: Actor;
  let monitor: Actor;
  let viewer: Member;
  let readToken: string;
  let writeToken: string;
  let requirements: Requirement[];

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp({ organization: 'Service Provider' });
    other = await t.signUp({ organization: 'Other Provider' });
    monitor = await t.signUp({ organization: 'Service Monitor', kind: 'monitoring_body' });
    viewer = await t.addMember(owner, 'viewer');
    readToken = await createToken(owner, ['read']);
    writeToken = await createToken(owner, ['write']);
    const code = await request(t.server).get(`/api/v1/codes/${CODE}/versions/1.1.0`).expect(200);
    requirements = code.body.sections.flatMap((section: { requirements: Requirement[] }) => section.requirements);
  });
  afterAll(() => t.close());

  async function createToken(actor: Actor, scopes: string[]): Promise<string> {
    const response = await actor.agent
      .post(`/api/v1/orgs/${actor.organization.slug}/tokens`)
      .set('X-CSRF-Token', actor.csrf)
      .send({ name: `${scopes.join('+')} token`, scopes })
      .expect(201);
    return response.body.token;
  }

  const servicesPath = (actor: Pick<Actor, 'organization'>) => `/api/v1/orgs/${actor.organization.slug}/services`;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const createService = (body: Record<string, unknown>, as: Pick<Actor, 'agent' | 'csrf' | 'organization'> = owner) =>
    as.agent.post(servicesPath(as)).set('X-CSRF-Token', as.csrf).send(body);
  const patchService = (id: string, body: Record<string, unknown>, as: Pick<Actor, 'agent' | 'csrf' | 'organization'> = owner) =>
    as.agent.patch(`${servicesPath(as)}/${id}`).set('X-CSRF-Token', as.csrf).send(body);
  const applicability = (id: string, query = `code=${CODE}`, as: Pick<Actor, 'agent' | 'organization'> = owner) =>
    as.agent.get(`${servicesPath(as)}/${id}/applicability?${query}`);

  const serviceRow = async (id: string) =>
    (
      await t.sql<{ organization_id: string; name: string; description: string | null; url: string | null; profile: Record<string, unknown>; version: number }>(
        'SELECT organization_id, name, description, url, profile, version FROM services WHERE id = $1',
        [id],
      )
    )[0];
  const serviceCount = async () => (await t.sql<{ count: number }>('SELECT count(*)::int AS count FROM services'))[0].count;
  const auditOf = (id: string) =>
    t.sql<{ action: string; organization_id: string; actor_user_id: string | null; actor_token_id: string | null; data: Record<string, unknown> }>(
      'SELECT action, organization_id, actor_user_id, actor_token_id, data FROM audit_events WHERE target_id = $1 ORDER BY id',
      [id],
    );

  /** A service of the owner's, with a name of its own. */
  let counter = 0;
  async function aService(profile: Record<string, unknown> = CHILD_DIRECTED, extra: Record<string, unknown> = {}) {
    counter += 1;
    const response = await createService({ name: `Service ${counter}`, profile, ...extra }).expect(201);
    return response.body as { id: string; name: string; version: number; profile: Record<string, unknown> };
  }

  describe('creating a service', () => {
    it('creates a service with its profile (201) and records service.created', async () => {
      const response = await createService({
        name: '  ChatSafe Messenger  ',
        description: 'A messaging app for teenagers.',
        url: 'https://chatsafe.example.org/',
        profile: CHILD_DIRECTED,
      }).expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        name: 'ChatSafe Messenger',
        description: 'A messaging app for teenagers.',
        url: 'https://chatsafe.example.org/',
        profile: CHILD_DIRECTED,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await serviceRow(response.body.id)).toEqual({
        organization_id: owner.organization.id,
        name: 'ChatSafe Messenger',
        description: 'A messaging app for teenagers.',
        url: 'https://chatsafe.example.org/',
        profile: CHILD_DIRECTED,
        version: 1,
      });
      expect(await auditOf(response.body.id)).toEqual([
        { action: 'service.created', organization_id: owner.organization.id, actor_user_id: owner.user.id, actor_token_id: null, data: { name: 'ChatSafe Messenger' } },
      ]);
    });

    it('needs only a name; the profile may be filled in later', async () => {
      const response = await createService({ name: 'Bare Service' }).expect(201);
      expect(response.body).toMatchObject({ name: 'Bare Service', description: null, url: null, profile: {}, version: 1 });
    });

    it('refuses an answer to a question no published code asks (400), naming profile.<key>', async () => {
      const before = await serviceCount();
      const response = await createService({ name: 'Unknown Question', profile: { ...CHILD_DIRECTED, favourite_colour: 'blue' } }).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: { 'profile.favourite_colour': ['no published code asks "favourite_colour"'] } });
      expect(response.body.message).toContain('profile.favourite_colour');
      expect(Object.keys(response.body.details)).toEqual(['profile.favourite_colour']);
      expect(await serviceCount()).toBe(before);
    });

    it('refuses answers of the wrong type, unknown options and options listed twice (400), naming each', async () => {
      const before = await serviceCount();
      const response = await createService({
        name: 'Wrong Answers',
        profile: {
          directed_at_children: 'yes',
          eu_users: 1,
          tool_types: ['hash_matching', 'telepathy'],
          provider_roles: ['deploys', 'deploys'],
          service_types: 'messaging',
        },
      }).expect(400);
      expect(response.body.details).toEqual({
        'profile.directed_at_children': [expect.stringContaining('directed_at_children is a yes-or-no question')],
        'profile.eu_users': [expect.stringContaining('eu_users is a yes-or-no question')],
        'profile.tool_types': [expect.stringContaining('tool_types takes a list of: hash_matching, classifier, grooming_detection')],
        'profile.provider_roles': ['provider_roles lists an option twice'],
        'profile.service_types': [expect.stringContaining('service_types takes a list of')],
      });
      expect(await serviceCount()).toBe(before);
    });

    it('refuses a profile that is not an object, an invalid url, a missing name and unknown fields (400)', async () => {
      const before = await serviceCount();
      const list = await createService({ name: 'Listed Profile', profile: ['directed_at_children'] }).expect(400);
      expect(Object.keys(list.body.details)).toEqual(['profile']);
      for (const url of ['not a url', 'ftp://files.example.org/', 'chatsafe.example.org']) {
        const response = await createService({ name: 'Bad Address', url }).expect(400);
        expect(response.body.details).toEqual({ url: ['url must be a web address starting with http:// or https://'] });
      }
      const nameless = await createService({ description: 'No name' }).expect(400);
      expect(nameless.body.details).toHaveProperty('name');
      const blank = await createService({ name: '   ' }).expect(400);
      expect(blank.body.details).toEqual({ name: ['name must not be empty'] });
      const extra = await createService({ name: 'Extra Field', organizationId: other.organization.id }).expect(400);
      expect(extra.body.details).toEqual({ organizationId: ['organizationId is not an accepted field'] });
      expect(await serviceCount()).toBe(before);
    });

    it('refuses a name the organization already uses, whatever its case (409)', async () => {
      await createService({ name: 'Photo Vault' }).expect(201);
      const before = await serviceCount();
      const response = await createService({ name: '  PHOTO vault ' }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { name: ['another service has this name'] } });
      expect(await serviceCount()).toBe(before);
      // Another organization may use the same name.
      await createService({ name: 'Photo Vault' }, other).expect(201);
    });
  });

  describe('reading services', () => {
    it('lists the organization’s services by name and reads one', async () => {
      const service = await aService();
      const list = await owner.agent.get(servicesPath(owner)).expect(200);
      const names = list.body.map((item: { name: string }) => item.name);
      expect(names).toEqual([...names].sort());
      expect(list.body).toContainEqual(expect.objectContaining({ id: service.id, name: service.name, profile: CHILD_DIRECTED, version: 1 }));
      const one = await owner.agent.get(`${servicesPath(owner)}/${service.id}`).expect(200);
      expect(one.body).toEqual(list.body.find((item: { id: string }) => item.id === service.id));
    });

    it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
      const unknown = await owner.agent.get(`${servicesPath(owner)}/00000000-0000-4000-8000-000000000000`).expect(404);
      expect(unknown.body).toEqual(NO_SUCH_SERVICE);
      await owner.agent.get(`${servicesPath(owner)}/not-a-uuid`).expect(400);
    });
  });

  describe('changing a service', () => {
    it('needs the version the change is based on (400 without it)', async () => {
      const service = await aService();
      const response = await patchService(service.id, { name: 'Versionless' }).expect(400);
      expect(response.body.details).toHaveProperty('version');
      expect((await serviceRow(service.id)).name).toBe(service.name);
    });

    it('refuses a change based on a stale version (409) and leaves the service as it was', async () => {
      const service = await aService();
      await patchService(service.id, { version: 1, description: 'First change' }).expect(200);
      const before = await serviceRow(service.id);
      const response = await patchService(service.id, { version: 1, name: 'Lost Update', profile: { eu_users: false } }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { currentVersion: 2, updatedAt: expect.any(String) } });
      expect(response.body.message).toContain('version 2');
      expect(await serviceRow(service.id)).toEqual(before);
      expect((await auditOf(service.id)).map((event) => event.action)).toEqual(['service.created', 'service.updated']);
    });

    it('merges the profile answers sent into the stored ones; null clears one', async () => {
      const service = await aService();
      const merged = await patchService(service.id, { version: 1, profile: { eu_users: false, tool_types: ['grooming_detection'] } }).expect(200);
      expect(merged.body).toMatchObject({ version: 2, name: service.name, profile: { ...CHILD_DIRECTED, eu_users: false, tool_types: ['grooming_detection'] } });
      const cleared = await patchService(service.id, { version: 2, profile: { end_to_end_encrypted: null, eu_users: null } }).expect(200);
      const { end_to_end_encrypted: _e2e, eu_users: _eu, ...rest } = { ...CHILD_DIRECTED, tool_types: ['grooming_detection'] };
      expect(cleared.body).toMatchObject({ version: 3 });
      expect(cleared.body.profile).toEqual(rest);
      expect((await serviceRow(service.id)).profile).toEqual(rest);
      const events = await auditOf(service.id);
      expect(events.map((event) => event.action)).toEqual(['service.created', 'service.updated', 'service.updated']);
      expect(events[1]).toMatchObject({ data: { fields: ['profile'], profile: { set: ['eu_users', 'tool_types'], cleared: [] } } });
      expect(events[2]).toMatchObject({ organization_id: owner.organization.id, actor_user_id: owner.user.id, data: { profile: { set: [], cleared: ['end_to_end_encrypted', 'eu_users'] } } });
    });

    it('changes only the fields sent; null clears the description and the url', async () => {
      const service = await aService(CHILD_DIRECTED, { description: 'Kept for now', url: 'https://kept.example.org' });
      const renamed = await patchService(service.id, { version: 1, name: `${service.name} Renamed` }).expect(200);
      expect(renamed.body).toMatchObject({ name: `${service.name} Renamed`, description: 'Kept for now', url: 'https://kept.example.org', profile: CHILD_DIRECTED });
      const cleared = await patchService(service.id, { version: 2, description: null, url: null }).expect(200);
      expect(cleared.body).toMatchObject({ name: `${service.name} Renamed`, description: null, url: null, version: 3 });
    });

    it('refuses invalid changes (400) and leaves the service as it was', async () => {
      const service = await aService();
      const before = await serviceRow(service.id);
      const url = await patchService(service.id, { version: 1, url: 'javascript:alert(1)' }).expect(400);
      expect(url.body.details).toEqual({ url: ['url must be a web address starting with http:// or https://'] });
      const profile = await patchService(service.id, { version: 1, profile: { directed_at_children: 'no', mood: 'happy' } }).expect(400);
      expect(Object.keys(profile.body.details).sort()).toEqual(['profile.directed_at_children', 'profile.mood']);
      const name = await patchService(service.id, { version: 1, name: null }).expect(400);
      expect(name.body.details).toHaveProperty('name');
      expect(await serviceRow(service.id)).toEqual(before);
    });

    it('refuses a name another service of the organization has (409), but lets a service change its own name’s case', async () => {
      const first = await aService();
      const second = await aService();
      const taken = await patchService(second.id, { version: 1, name: first.name.toUpperCase() }).expect(409);
      expect(taken.body.details).toEqual({ name: ['another service has this name'] });
      expect((await serviceRow(second.id)).name).toBe(second.name);
      const recased = await patchService(first.id, { version: 1, name: first.name.toUpperCase() }).expect(200);
      expect(recased.body.name).toBe(first.name.toUpperCase());
    });

    it('answers 404 for an unknown service', async () => {
      const response = await patchService('00000000-0000-4000-8000-000000000000', { version: 1, name: 'Ghost' }).expect(404);
      expect(response.body).toEqual(NO_SUCH_SERVICE);
    });
  });

  describe('deleting a service', () => {
    it('deletes (204), then answers 404, and records service.deleted', async () => {
      const service = await aService();
      const response = await owner.agent.delete(`${servicesPath(owner)}/${service.id}`).set('X-CSRF-Token', owner.csrf).expect(204);
      expect(response.text).toBe('');
      await owner.agent.get(`${servicesPath(owner)}/${service.id}`).expect(404);
      await owner.agent.delete(`${servicesPath(owner)}/${service.id}`).set('X-CSRF-Token', owner.csrf).expect(404);
      await patchService(service.id, { version: 1, name: 'Revived' }).expect(404);
      expect(await serviceRow(service.id)).toBeUndefined();
      expect(await auditOf(service.id)).toEqual([
        expect.objectContaining({ action: 'service.created' }),
        { action: 'service.deleted', organization_id: owner.organization.id, actor_user_id: owner.user.id, actor_token_id: null, data: { name: service.name } },
      ]);
    });
  });

  describe('which requirements apply to a service', () => {
    const keysReading = (question: string) => requirements.filter((requirement) => requirement.appliesWhen?.includes(question)).map((requirement) => requirement.key);
    const forChildren = () => requirements.filter((requirement) => requirement.appliesWhen === FOR_CHILDREN).map((requirement) => requirement.key);

    it('knows every rule of the bundled code (a guard for this test itself)', () => {
      const rules = new Set(requirements.map((requirement) => requirement.appliesWhen).filter((rule): rule is string => rule !== null));
      expect([...rules].sort()).toEqual(Object.keys(RULES).sort());
      expect(forChildren().length).toBeGreaterThan(0);
    });

    it('applies every child-protection requirement to a service directed at children, by the current version', async () => {
      const service = await aService(CHILD_DIRECTED);
      const response = await applicability(service.id).expect(200);
      expect(response.body).toMatchObject({ code: CODE, version: '1.1.0', undecided: [] });
      const { applicable, excluded } = response.body as { applicable: string[]; excluded: Array<{ key: string; rule: string }> };
      for (const key of forChildren()) expect(applicable).toContain(key);
      expect(applicable).toEqual(requirements.filter((requirement) => !requirement.appliesWhen || RULES[requirement.appliesWhen].childDirected).map((requirement) => requirement.key));
      expect(excluded).toEqual(
        requirements.filter((requirement) => requirement.appliesWhen && !RULES[requirement.appliesWhen].childDirected).map((requirement) => ({ key: requirement.key, rule: requirement.appliesWhen })),
      );
      // Every requirement is in exactly one of the two lists.
      const all = [...applicable, ...excluded.map((entry) => entry.key)];
      expect(all.sort()).toEqual(requirements.map((requirement) => requirement.key).sort());
      expect(new Set(all).size).toBe(requirements.length);
      // A requirement with no rule always applies.
      for (const requirement of requirements.filter((candidate) => !candidate.appliesWhen)) expect(applicable).toContain(requirement.key);

      const pinned = await applicability(service.id, `code=${CODE}&version=1.1.0`).expect(200);
      expect(pinned.body).toEqual(response.body);
      // The earlier version, asked for by number, applies its own rules to the same profile.
      const earlier = await applicability(service.id, `code=${CODE}&version=1.0.0`).expect(200);
      expect(earlier.body).toMatchObject({ code: CODE, version: '1.0.0', undecided: [] });
      expect(earlier.body.applicable).toContain('SBD-04');
      expect(earlier.body.applicable).not.toContain('OVS-07');
    });

    it('excludes them, with their rule, for the same service not directed at children and measured under 5%', async () => {
      const service = await aService(CHILD_DIRECTED);
      await patchService(service.id, { version: 1, profile: NOT_FOR_CHILDREN }).expect(200);
      const response = await applicability(service.id).expect(200);
      const { applicable, excluded, undecided } = response.body as { applicable: string[]; excluded: Array<{ key: string; rule: string }>; undecided: unknown[] };
      expect(undecided).toEqual([]);
      for (const key of forChildren()) {
        expect(applicable).not.toContain(key);
        expect(excluded).toContainEqual({ key, rule: FOR_CHILDREN });
      }
      expect(applicable).toEqual(requirements.filter((requirement) => !requirement.appliesWhen || RULES[requirement.appliesWhen].notChildDirected).map((requirement) => requirement.key));
      expect([...applicable, ...excluded.map((entry) => entry.key)].sort()).toEqual(requirements.map((requirement) => requirement.key).sort());
    });

    it('keeps in, and lists as undecided, the requirements whose questions are not answered yet', async () => {
      const service = await aService({ directed_at_children: true, children_user_share: 'from_50_percent' });
      const response = await applicability(service.id).expect(200);
      const { applicable, excluded, undecided } = response.body as {
        applicable: string[];
        excluded: Array<{ key: string }>;
        undecided: Array<{ key: string; rule: string; questions: string[] }>;
      };
      // Only the consultation for services not for children is decided: it does not apply.
      expect(excluded.map((entry) => entry.key)).toEqual(['LAW-03']);
      expect(applicable).toEqual(requirements.map((requirement) => requirement.key).filter((key) => key !== 'LAW-03'));
      const expected = requirements.filter((requirement) => requirement.appliesWhen && !keysReading('children_user_share').includes(requirement.key));
      expect(undecided.map((entry) => entry.key)).toEqual(expected.map((requirement) => requirement.key));
      expect(undecided).toContainEqual({ key: 'TRM-05', rule: 'eu_users', questions: ['eu_users'] });
      expect(undecided).toContainEqual({ key: 'LAW-08', rule: 'interpersonal_communications && eu_users', questions: ['interpersonal_communications', 'eu_users'] });
      for (const key of forChildren()) expect(undecided.map((entry) => entry.key)).not.toContain(key);
    });

    it('keeps the child-protection requirements in while the share of children is unanswered', async () => {
      const { children_user_share: _share, ...unmeasured } = { ...CHILD_DIRECTED, directed_at_children: false };
      const service = await aService(unmeasured);
      const { applicable, undecided } = (await applicability(service.id).expect(200)).body as { applicable: string[]; undecided: Array<{ key: string; questions: string[] }> };
      for (const key of forChildren()) {
        expect(applicable).toContain(key);
        expect(undecided).toContainEqual(expect.objectContaining({ key, questions: ['children_user_share'] }));
      }
    });

    it('answers 404 for an unknown code or version and 400 without a code', async () => {
      const service = await aService();
      await applicability(service.id, 'code=no-such-code').expect(404);
      const version = await applicability(service.id, `code=${CODE}&version=9.9.9`).expect(404);
      expect(version.body.message).toContain('9.9.9');
      const missing = await applicability(service.id, '').expect(400);
      expect(missing.body.details).toHaveProperty('code');
      await applicability('00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('who may see and change services', () => {
    let service: { id: string; name: string };
    beforeAll(async () => {
      service = await aService(CHILD_DIRECTED, { description: 'Not for strangers' });
    });

    it('answers 404 to another provider on every route of the service, and changes nothing', async () => {
      const before = await serviceRow(service.id);
      const path = `${servicesPath(owner)}/${service.id}`;
      const attempts = [
        other.agent.get(servicesPath(owner)),
        other.agent.get(path),
        other.agent.patch(path).set('X-CSRF-Token', other.csrf).send({ version: 1, name: 'Hijacked' }),
        other.agent.delete(path).set('X-CSRF-Token', other.csrf),
        other.agent.get(`${path}/applicability?code=${CODE}`),
        other.agent.post(servicesPath(owner)).set('X-CSRF-Token', other.csrf).send({ name: 'Planted' }),
      ];
      for (const attempt of attempts) {
        const response = await attempt;
        expect(response.status).toBe(404);
        expect(response.body).toEqual(NO_SUCH_ORGANIZATION);
      }
      // Through its own organization's routes, the service is not there either.
      const own = `${servicesPath(other)}/${service.id}`;
      for (const attempt of [
        other.agent.get(own),
        other.agent.patch(own).set('X-CSRF-Token', other.csrf).send({ version: 1, name: 'Hijacked' }),
        other.agent.delete(own).set('X-CSRF-Token', other.csrf),
        other.agent.get(`${own}/applicability?code=${CODE}`),
      ]) {
        const response = await attempt;
        expect(response.status).toBe(404);
        expect(response.body).toEqual(NO_SUCH_SERVICE);
        expect(JSON.stringify(response.body)).not.toContain('Not for strangers');
      }
      const theirs = await other.agent.get(servicesPath(other)).expect(200);
      expect(theirs.body.map((item: { id: string }) => item.id)).not.toContain(service.id);
      expect(await serviceRow(service.id)).toEqual(before);
      expect(await t.sql(`SELECT id FROM services WHERE name = 'Planted'`)).toEqual([]);
    });

    it('lets a viewer read, but not create, change or delete (403)', async () => {
      const before = await serviceRow(service.id);
      const count = await serviceCount();
      await viewer.agent.get(servicesPath(owner)).expect(200);
      await viewer.agent.get(`${servicesPath(owner)}/${service.id}`).expect(200);
      await viewer.agent.get(`${servicesPath(owner)}/${service.id}/applicability?code=${CODE}`).expect(200);
      const create = await viewer.agent.post(servicesPath(owner)).set('X-CSRF-Token', viewer.csrf).send({ name: 'Viewer Made' }).expect(403);
      expect(create.body.message).toBe('Your role (viewer) does not allow services.manage.');
      await viewer.agent.patch(`${servicesPath(owner)}/${service.id}`).set('X-CSRF-Token', viewer.csrf).send({ version: 1, name: 'Viewer Renamed' }).expect(403);
      await viewer.agent.delete(`${servicesPath(owner)}/${service.id}`).set('X-CSRF-Token', viewer.csrf).expect(403);
      expect(await serviceRow(service.id)).toEqual(before);
      expect(await serviceCount()).toBe(count);
    });

    it('lets an editor manage services', async () => {
      const editor = await t.addMember(owner, 'editor');
      const created = await editor.agent.post(servicesPath(owner)).set('X-CSRF-Token', editor.csrf).send({ name: 'Editor Made' }).expect(201);
      await editor.agent.patch(`${servicesPath(owner)}/${created.body.id}`).set('X-CSRF-Token', editor.csrf).send({ version: 1, description: 'Edited' }).expect(200);
      await editor.agent.delete(`${servicesPath(owner)}/${created.body.id}`).set('X-CSRF-Token', editor.csrf).expect(204);
    });

    it('lets a read token read, but not create, change or delete (403)', async () => {
      const before = await serviceRow(service.id);
      const count = await serviceCount();
      const list = await request(t.server).get(servicesPath(owner)).set(bearer(readToken)).expect(200);
      expect(list.body.map((item: { id: string }) => item.id)).toContain(service.id);
      await request(t.server).get(`${servicesPath(owner)}/${service.id}`).set(bearer(readToken)).expect(200);
      await request(t.server).get(`${servicesPath(owner)}/${service.id}/applicability?code=${CODE}`).set(bearer(readToken)).expect(200);
      const create = await request(t.server).post(servicesPath(owner)).set(bearer(readToken)).send({ name: 'Read Token Made' }).expect(403);
      expect(create.body.message).toContain('(read)');
      await request(t.server).patch(`${servicesPath(owner)}/${service.id}`).set(bearer(readToken)).send({ version: 1, name: 'Token Renamed' }).expect(403);
      await request(t.server).delete(`${servicesPath(owner)}/${service.id}`).set(bearer(readToken)).expect(403);
      expect(await serviceRow(service.id)).toEqual(before);
      expect(await serviceCount()).toBe(count);
    });

    it('lets a write token create, change and delete, recorded as the token’s doing', async () => {
      const created = await request(t.server).post(servicesPath(owner)).set(bearer(writeToken)).send({ name: 'Token Made', profile: { eu_users: true } }).expect(201);
      expect(created.body).toMatchObject({ name: 'Token Made', profile: { eu_users: true } });
      await request(t.server).patch(`${servicesPath(owner)}/${created.body.id}`).set(bearer(writeToken)).send({ version: 1, profile: { eu_users: false } }).expect(200);
      await request(t.server).delete(`${servicesPath(owner)}/${created.body.id}`).set(bearer(writeToken)).expect(204);
      const events = await auditOf(created.body.id);
      expect(events.map((event) => event.action)).toEqual(['service.created', 'service.updated', 'service.deleted']);
      for (const event of events) {
        expect(event).toMatchObject({ organization_id: owner.organization.id, actor_user_id: null, actor_token_id: expect.stringMatching(UUID) });
      }
    });

    it('refuses a monitoring body’s admin, and its write token, to create services (403)', async () => {
      const count = await serviceCount();
      const admin = await createService({ name: 'Monitored Service' }, monitor).expect(403);
      expect(admin.body.message).toBe('Your role (admin) does not allow services.manage.');
      const token = await createToken(monitor, ['write']);
      const byToken = await request(t.server).post(servicesPath(monitor)).set(bearer(token)).send({ name: 'Monitored Service' }).expect(403);
      expect(byToken.body.message).toContain('No one in a monitoring body may use services.manage');
      expect(await serviceCount()).toBe(count);
    });

    it('answers 401 to anyone not signed in', async () => {
      const path = `${servicesPath(owner)}/${service.id}`;
      for (const attempt of [
        request(t.server).get(servicesPath(owner)),
        request(t.server).post(servicesPath(owner)).send({ name: 'Anonymous' }),
        request(t.server).get(path),
        request(t.server).patch(path).send({ version: 1, name: 'Anonymous' }),
        request(t.server).delete(path),
        request(t.server).get(`${path}/applicability?code=${CODE}`),
      ]) {
        const response = await attempt;
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ statusCode: 401, message: 'Sign in first.' });
      }
      expect((await serviceRow(service.id)).name).toBe(service.name);
    });
  });
});
