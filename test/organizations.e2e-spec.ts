import request from 'supertest';
import { Actor, createTestApp, TestApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND = { statusCode: 404, code: 'auth.not_found', error: 'Not Found', message: 'No such organization, or you are not a member of it.' };

describe('organizations and members', () => {
  let t: TestApp;
  let owner: Actor;
  let stranger: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp({ organization: 'Organized Provider' });
    stranger = await t.signUp({ organization: 'Stranger Provider' });
  });
  afterAll(() => t.close());

  const orgPath = (actor: Pick<Actor, 'organization'>) => `/api/v1/orgs/${actor.organization.slug}`;


  const membershipOf = async (actor: Actor) =>
    (await t.sql<{ id: string; role: string; version: number }>('SELECT id, role, version FROM memberships WHERE organization_id = $1 AND user_id = $2', [
      actor.organization.id,
      actor.user.id,
    ]))[0];
  const organizationRow = async (id: string) =>
    (await t.sql<{ name: string; country: string | null; website: string | null; version: number }>(
      'SELECT name, country, website, version FROM organizations WHERE id = $1',
      [id],
    ))[0];
  const auditActions = async (actor: Pick<Actor, 'agent'>, slug: string) =>
    ((await actor.agent.get(`/api/v1/orgs/${slug}/audit`).expect(200)).body.items as Array<{ action: string; targetId: string; data: unknown }>);

  describe('reading an organization', () => {
    it('answers the organization and the caller’s role', async () => {
      const response = await owner.agent.get(orgPath(owner)).expect(200);
      expect(response.body).toEqual({
        id: owner.organization.id,
        slug: owner.organization.slug,
        name: 'Organized Provider',
        kind: 'provider',
        country: null,
        website: null,
        requireMfa: false,
        requireStepUp: false,
        version: expect.any(Number),
        role: 'owner',
      });
    });

    it('answers each member their own role', async () => {
      const viewer = await t.addMember(owner, 'viewer');
      const response = await viewer.agent.get(orgPath(owner)).expect(200);
      expect(response.body).toMatchObject({ id: owner.organization.id, role: 'viewer' });
    });

    it('makes the founder of a monitoring body its admin', async () => {
      const admin = await t.signUp({ kind: 'monitoring_body', organization: 'Founding Monitor' });
      const response = await admin.agent.get(orgPath(admin)).expect(200);
      expect(response.body).toMatchObject({ kind: 'monitoring_body', role: 'admin', name: 'Founding Monitor' });
    });

    it('answers 401 to anyone not signed in and 404 for an unknown slug', async () => {
      const anonymous = await request(t.server).get(orgPath(owner)).expect(401);
      expect(anonymous.body).toMatchObject({ statusCode: 401, message: 'Sign in first.' });
      const unknown = await owner.agent.get('/api/v1/orgs/there-is-no-such-organization').expect(404);
      expect(unknown.body).toEqual(NOT_FOUND);
    });

    it('answers simultaneous requests of a member correctly, and keeps them signed in', async () => {
      // A person of its own: should this fail, the shared actors of the other tests stay signed in.
      const busy = await t.signUp({ organization: 'Busy Provider' });
      const paths = [orgPath(busy), `${orgPath(busy)}/members`, `${orgPath(busy)}/audit`];
      const responses = await Promise.all(Array.from({ length: 12 }, (_, index) => busy.agent.get(paths[index % paths.length])));
      expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
      expect(responses.filter((_, index) => index % 3 === 0).map((response) => response.body.id)).toEqual(Array(4).fill(busy.organization.id));
      const session = await busy.agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.user.id).toBe(busy.user.id);
    });
  });

  describe('updating an organization', () => {
    it('saves the changes and increments the version', async () => {
      const admin = await t.signUp({ organization: 'Before Rename' });
      const current = await admin.agent.get(orgPath(admin)).expect(200);
      const response = await admin.agent
        .patch(orgPath(admin))
        .set('X-CSRF-Token', admin.csrf)
        .send({ name: 'After Rename', country: 'de', website: 'https://after.example.org', version: current.body.version })
        .expect(200);
      expect(response.body).toEqual({
        id: admin.organization.id,
        slug: admin.organization.slug,
        name: 'After Rename',
        kind: 'provider',
        country: 'DE',
        website: 'https://after.example.org',
        requireMfa: false,
        requireStepUp: false,
        version: current.body.version + 1,
      });
      expect(await organizationRow(admin.organization.id)).toEqual({
        name: 'After Rename',
        country: 'DE',
        website: 'https://after.example.org',
        version: current.body.version + 1,
      });
      const again = await admin.agent.get(orgPath(admin)).expect(200);
      expect(again.body).toMatchObject({ name: 'After Rename', version: current.body.version + 1 });
    });

    it('changes only the fields sent', async () => {
      const admin = await t.signUp({ organization: 'Partial Update' });
      const first = await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ country: 'FR', website: 'https://partial.example.org', version: 1 }).expect(200);
      const second = await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ name: 'Partially Updated', version: 2 }).expect(200);
      const stored = { name: 'Partially Updated', country: 'FR', website: 'https://partial.example.org', version: 3 };
      expect(await organizationRow(admin.organization.id)).toEqual(stored);
      // The answers describe the whole organization as saved, not only the fields that were sent.
      const policy = { requireMfa: false, requireStepUp: false };
      expect(first.body).toEqual({ id: admin.organization.id, slug: admin.organization.slug, kind: 'provider', name: 'Partial Update', country: 'FR', website: 'https://partial.example.org', ...policy, version: 2 });
      expect(second.body).toEqual({ id: admin.organization.id, slug: admin.organization.slug, kind: 'provider', ...stored, ...policy });
    });

    it('records organization.updated with the changed fields', async () => {
      const admin = await t.signUp({ organization: 'Audited Update' });
      await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ website: 'https://audited.example.org', version: 1 }).expect(200);
      const events = await auditActions(admin, admin.organization.slug);
      expect(events[0]).toMatchObject({ action: 'organization.updated', targetId: admin.organization.id, data: { fields: ['website'] } });
    });

    it('refuses a stale version with 409 and changes nothing', async () => {
      const admin = await t.signUp({ organization: 'Stale Update' });
      await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ name: 'Fresh Name', version: 1 }).expect(200);
      const response = await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ name: 'Stale Name', country: 'GB', version: 1 }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(response.body.message).toContain('now at version 2');
      expect(await organizationRow(admin.organization.id)).toEqual({ name: 'Fresh Name', country: null, website: null, version: 2 });
      const events = await auditActions(admin, admin.organization.slug);
      expect(events.filter((event) => event.action === 'organization.updated')).toHaveLength(1);
    });

    it('lets only one of several simultaneous updates from the same version through; the others answer 409', async () => {
      const admin = await t.signUp({ organization: 'Racing Update' });
      const attempts = ['Racer A', 'Racer B', 'Racer C', 'Racer D'].map((name) =>
        admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ name, version: 1 }),
      );
      const responses = await Promise.all(attempts);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409]);
      const winner = responses.find((response) => response.status === 200)!;
      expect(await organizationRow(admin.organization.id)).toMatchObject({ name: winner.body.name, version: 2 });
    });

    it('refuses an unknown field, naming it', async () => {
      const response = await owner.agent.patch(orgPath(owner)).set('X-CSRF-Token', owner.csrf).send({ slug: 'hijacked', kind: 'monitoring_body', version: 1 }).expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        code: 'request.invalid',
        error: 'Bad Request',
        message: 'Invalid input: slug, kind',
        details: { slug: ['slug is not an accepted field'], kind: ['kind is not an accepted field'] },
      });
      const current = await owner.agent.get(orgPath(owner)).expect(200);
      expect(current.body).toMatchObject({ slug: owner.organization.slug, kind: 'provider' });
    });

    it('refuses a country that is not a two-letter code and a website that is not http(s)', async () => {
      const response = await owner.agent
        .patch(orgPath(owner))
        .set('X-CSRF-Token', owner.csrf)
        .send({ country: 'Germany', website: 'ftp://files.example.org', version: 1 })
        .expect(400);
      expect(response.body.details).toEqual({
        country: ['country must be a two-letter ISO 3166 code, such as DE or GB'],
        website: ['website must be an http(s) address'],
      });
      expect((await organizationRow(owner.organization.id)).country).toBeNull();
    });

    it('refuses a change without a version', async () => {
      const response = await owner.agent.patch(orgPath(owner)).set('X-CSRF-Token', owner.csrf).send({ name: 'Versionless' }).expect(400);
      expect(Object.keys(response.body.details)).toEqual(['version']);
      expect((await organizationRow(owner.organization.id)).name).toBe('Organized Provider');
    });

    it('refuses a null name with 400, not a server error', async () => {
      const admin = await t.signUp({ organization: 'Null Name' });
      const response = await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ name: null, version: 1 });
      expect(response.status).toBe(400);
      expect(response.body.details).toHaveProperty('name');
      expect(await organizationRow(admin.organization.id)).toMatchObject({ name: 'Null Name', version: 1 });
    });

    it('refuses viewers and editors (403) and a missing CSRF token (403)', async () => {
      for (const role of ['viewer', 'editor']) {
        const member = await t.addMember(owner, role);
        const response = await member.agent.patch(orgPath(owner)).set('X-CSRF-Token', member.csrf).send({ name: `Renamed by ${role}`, version: 1 }).expect(403);
        expect(response.body).toEqual({ statusCode: 403, code: 'auth.forbidden', error: 'Forbidden', message: `Your role (${role}) does not allow organization.update.` });
      }
      const forged = await owner.agent.patch(orgPath(owner)).send({ name: 'Forged Rename', version: 1 }).expect(403);
      expect(forged.body.message).toContain('X-CSRF-Token');
      expect((await organizationRow(owner.organization.id)).name).toBe('Organized Provider');
    });
  });

  describe('founding another organization', () => {
    it('creates it with the caller as its owner or admin, with unique slugs', async () => {
      const founder = await t.signUp({ organization: 'First Home' });
      const first = await founder.agent.post('/api/v1/orgs').set('X-CSRF-Token', founder.csrf).send({ name: 'Acme', kind: 'provider' }).expect(201);
      expect(first.body).toEqual({
        id: expect.stringMatching(UUID),
        slug: 'acme',
        name: 'Acme',
        kind: 'provider',
        country: null,
        website: null,
        requireMfa: false,
        requireStepUp: false,
        version: 1,
      });
      const second = await founder.agent
        .post('/api/v1/orgs')
        .set('X-CSRF-Token', founder.csrf)
        .send({ name: 'Acmé', kind: 'monitoring_body', country: 'nl', website: 'https://acme.example.org' })
        .expect(201);
      // A name that looks the same as another organization's is refused; one with the same slug is not.
      expect(second.body).toMatchObject({ slug: 'acme-2', name: 'Acmé', kind: 'monitoring_body', country: 'NL', website: 'https://acme.example.org' });
      expect(second.body.id).not.toBe(first.body.id);

      expect((await founder.agent.get('/api/v1/orgs/acme').expect(200)).body.role).toBe('owner');
      expect((await founder.agent.get('/api/v1/orgs/acme-2').expect(200)).body.role).toBe('admin');
      const session = await founder.agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.memberships.map((membership: { organization: { slug: string }; role: string }) => [membership.organization.slug, membership.role])).toEqual([
        [founder.organization.slug, 'owner'],
        ['acme', 'owner'],
        ['acme-2', 'admin'],
      ]);
      expect(await t.sql('SELECT user_id, role FROM memberships WHERE organization_id = $1', [second.body.id])).toEqual([
        { user_id: founder.user.id, role: 'admin' },
      ]);
      const events = await auditActions(founder, 'acme-2');
      expect(events.map((event) => event.action).sort()).toEqual(['membership.created', 'organization.created']);

      // Others do not become members of it.
      await stranger.agent.get('/api/v1/orgs/acme').expect(404);
    });

    it('derives the slug from the name, without accents or punctuation', async () => {
      const response = await owner.agent.post('/api/v1/orgs').set('X-CSRF-Token', owner.csrf).send({ name: '  Ünïcode Café & Co.  ', kind: 'provider' }).expect(201);
      expect(response.body).toMatchObject({ slug: 'unicode-cafe-co', name: 'Ünïcode Café & Co.' });
    });

    it('refuses a name of only spaces, which would be stored empty', async () => {
      const response = await owner.agent.post('/api/v1/orgs').set('X-CSRF-Token', owner.csrf).send({ name: '    ', kind: 'provider' });
      expect(response.status).toBe(400);
      expect(response.body.details).toHaveProperty('name');
      expect(await t.sql("SELECT slug FROM organizations WHERE btrim(name) = ''")).toEqual([]);
    });

    it('refuses an unknown kind, naming it, and creates nothing', async () => {
      const response = await owner.agent.post('/api/v1/orgs').set('X-CSRF-Token', owner.csrf).send({ name: 'Kindless', kind: 'company' }).expect(400);
      expect(response.body.details).toEqual({ kind: ['kind must be provider or monitoring_body'] });
      expect(await t.sql("SELECT id FROM organizations WHERE name = 'Kindless'")).toEqual([]);
    });

    it('needs a signed-in person (401) and the CSRF token (403)', async () => {
      const anonymous = await request(t.server).post('/api/v1/orgs').send({ name: 'Anonymous Org', kind: 'provider' }).expect(401);
      expect(anonymous.body.statusCode).toBe(401);
      const forged = await owner.agent.post('/api/v1/orgs').send({ name: 'Forged Org', kind: 'provider' }).expect(403);
      expect(forged.body.message).toContain('X-CSRF-Token');
      expect(await t.sql("SELECT id FROM organizations WHERE name IN ('Anonymous Org', 'Forged Org')")).toEqual([]);
    });
  });

  describe('members', () => {
    it('lists the members with their role and version', async () => {
      const admin = await t.signUp({ organization: 'Listing Members' });
      const editor = await t.addMember(admin, 'editor');
      const response = await editor.agent.get(`${orgPath(admin)}/members`).expect(200);
      expect(response.body).toEqual([
        { id: expect.stringMatching(UUID), userId: admin.user.id, name: admin.user.name, email: admin.user.email, role: 'owner', version: 1, since: expect.any(String) },
        { id: editor.membershipId, userId: editor.userId, name: expect.any(String), email: editor.email, role: 'editor', version: 1, since: expect.any(String) },
      ]);
    });

    it('changes a role, increments the version and records membership.role_changed', async () => {
      const admin = await t.signUp({ organization: 'Changing Roles' });
      const member = await t.addMember(admin, 'viewer');
      const response = await admin.agent
        .patch(`${orgPath(admin)}/members/${member.membershipId}`)
        .set('X-CSRF-Token', admin.csrf)
        .send({ role: 'editor', version: 1 })
        .expect(200);
      expect(response.body).toEqual({ id: member.membershipId, role: 'editor', version: 2 });
      expect(await t.sql('SELECT role, version FROM memberships WHERE id = $1', [member.membershipId])).toEqual([{ role: 'editor', version: 2 }]);
      expect((await member.agent.get(orgPath(admin)).expect(200)).body.role).toBe('editor');
      const events = await auditActions(admin, admin.organization.slug);
      expect(events[0]).toMatchObject({ action: 'membership.role_changed', targetId: member.membershipId, data: { from: 'viewer', to: 'editor' } });
    });

    it('refuses a stale version with 409 and leaves the role', async () => {
      const admin = await t.signUp({ organization: 'Stale Roles' });
      const member = await t.addMember(admin, 'viewer');
      const path = `${orgPath(admin)}/members/${member.membershipId}`;
      await admin.agent.patch(path).set('X-CSRF-Token', admin.csrf).send({ role: 'editor', version: 1 }).expect(200);
      const response = await admin.agent.patch(path).set('X-CSRF-Token', admin.csrf).send({ role: 'owner', version: 1 }).expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(response.body.message).toContain('now at version 2');
      expect(await t.sql('SELECT role, version FROM memberships WHERE id = $1', [member.membershipId])).toEqual([{ role: 'editor', version: 2 }]);
    });

    it('lets only one of several simultaneous role changes from the same version through', async () => {
      const admin = await t.signUp({ organization: 'Racing Roles' });
      const member = await t.addMember(admin, 'viewer');
      const path = `${orgPath(admin)}/members/${member.membershipId}`;
      const responses = await Promise.all(
        ['editor', 'owner', 'editor', 'owner'].map((role) => admin.agent.patch(path).set('X-CSRF-Token', admin.csrf).send({ role, version: 1 })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409]);
      const winner = responses.find((response) => response.status === 200)!;
      expect(await t.sql('SELECT role, version FROM memberships WHERE id = $1', [member.membershipId])).toEqual([{ role: winner.body.role, version: 2 }]);
    });

    it('refuses a role of the other kind of organization (400)', async () => {
      const admin = await t.signUp({ organization: 'Kind Roles' });
      const member = await t.addMember(admin, 'viewer');
      const response = await admin.agent
        .patch(`${orgPath(admin)}/members/${member.membershipId}`)
        .set('X-CSRF-Token', admin.csrf)
        .send({ role: 'reviewer', version: 1 })
        .expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(response.body.message).toContain('The role reviewer does not exist in a provider');
      expect(response.body.details).toHaveProperty('role');
      expect(await t.sql('SELECT role FROM memberships WHERE id = $1', [member.membershipId])).toEqual([{ role: 'viewer' }]);
    });

    it('keeps at least one owner: the last one can be neither demoted nor removed (409)', async () => {
      const admin = await t.signUp({ organization: 'Last Owner' });
      const own = await membershipOf(admin);
      const path = `${orgPath(admin)}/members/${own.id}`;
      const demote = await admin.agent.patch(path).set('X-CSRF-Token', admin.csrf).send({ role: 'viewer', version: own.version }).expect(409);
      expect(demote.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(demote.body.message).toContain('at least one owner');
      const remove = await admin.agent.delete(path).set('X-CSRF-Token', admin.csrf).expect(409);
      expect(remove.body.message).toContain('at least one owner');
      expect(await membershipOf(admin)).toEqual({ id: own.id, role: 'owner', version: own.version });
    });

    it('keeps at least one admin in a monitoring body', async () => {
      const admin = await t.signUp({ kind: 'monitoring_body', organization: 'Last Admin' });
      const own = await membershipOf(admin);
      const response = await admin.agent
        .patch(`${orgPath(admin)}/members/${own.id}`)
        .set('X-CSRF-Token', admin.csrf)
        .send({ role: 'reviewer', version: own.version })
        .expect(409);
      expect(response.body.message).toContain('at least one admin');
      expect((await membershipOf(admin)).role).toBe('admin');
    });

    it('lets an owner step down once another owner exists', async () => {
      const admin = await t.signUp({ organization: 'Two Owners' });
      const second = await t.addMember(admin, 'owner');
      const own = await membershipOf(admin);
      const response = await second.agent
        .patch(`${orgPath(admin)}/members/${own.id}`)
        .set('X-CSRF-Token', second.csrf)
        .send({ role: 'viewer', version: own.version })
        .expect(200);
      expect(response.body).toEqual({ id: own.id, role: 'viewer', version: own.version + 1 });
      // Now the second owner is the last one.
      const last = await second.agent.delete(`${orgPath(admin)}/members/${second.membershipId}`).set('X-CSRF-Token', second.csrf).expect(409);
      expect(last.body.statusCode).toBe(409);
    });

    it('removes a member with 204; they then get 404 on the organization', async () => {
      const admin = await t.signUp({ organization: 'Removing Members' });
      const member = await t.addMember(admin, 'editor');
      await member.agent.get(orgPath(admin)).expect(200);
      const removed = await admin.agent.delete(`${orgPath(admin)}/members/${member.membershipId}`).set('X-CSRF-Token', admin.csrf).expect(204);
      expect(removed.text).toBe('');
      expect(await t.sql('SELECT id FROM memberships WHERE id = $1', [member.membershipId])).toEqual([]);
      expect((await member.agent.get(orgPath(admin)).expect(404)).body).toEqual(NOT_FOUND);
      expect((await member.agent.get(`${orgPath(admin)}/members`).expect(404)).body).toEqual(NOT_FOUND);
      const session = await member.agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.memberships).toEqual([]);
      const events = await auditActions(admin, admin.organization.slug);
      expect(events[0]).toMatchObject({ action: 'membership.removed', targetId: member.membershipId, data: { userId: member.userId } });
    });

    it('refuses editors and viewers (403) to change or remove members', async () => {
      const admin = await t.signUp({ organization: 'Guarded Members' });
      const editor = await t.addMember(admin, 'editor');
      const viewer = await t.addMember(admin, 'viewer');
      const promote = await editor.agent
        .patch(`${orgPath(admin)}/members/${editor.membershipId}`)
        .set('X-CSRF-Token', editor.csrf)
        .send({ role: 'owner', version: 1 })
        .expect(403);
      expect(promote.body.message).toBe('Your role (editor) does not allow members.manage.');
      const remove = await viewer.agent.delete(`${orgPath(admin)}/members/${editor.membershipId}`).set('X-CSRF-Token', viewer.csrf).expect(403);
      expect(remove.body.message).toBe('Your role (viewer) does not allow members.manage.');
      expect(await t.sql('SELECT role FROM memberships WHERE id = $1', [editor.membershipId])).toEqual([{ role: 'editor' }]);
    });

    it('answers 404 for an unknown membership and 400 for an id that is not a UUID', async () => {
      const unknown = await owner.agent
        .patch(`${orgPath(owner)}/members/00000000-0000-4000-8000-000000000000`)
        .set('X-CSRF-Token', owner.csrf)
        .send({ role: 'viewer', version: 1 })
        .expect(404);
      expect(unknown.body.message).toBe('No such member in this organization.');
      const malformed = await owner.agent.delete(`${orgPath(owner)}/members/me`).set('X-CSRF-Token', owner.csrf).expect(400);
      expect(malformed.body.statusCode).toBe(400);
    });
  });

  describe('audit log', () => {
    it('lists every state change of the organization, newest first, and its chain verifies', async () => {
      const admin = await t.signUp({ organization: 'Audited Everything' });
      const member = await t.addMember(admin, 'viewer');
      await admin.agent.patch(`${orgPath(admin)}/members/${member.membershipId}`).set('X-CSRF-Token', admin.csrf).send({ role: 'editor', version: 1 }).expect(200);
      await admin.agent.post(`${orgPath(admin)}/tokens`).set('X-CSRF-Token', admin.csrf).send({ name: 'Audit token', scopes: ['read'] }).expect(201);
      await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ country: 'AT', version: 1 }).expect(200);

      const response = await admin.agent.get(`${orgPath(admin)}/audit`).expect(200);
      expect(response.body.nextCursor).toBeNull();
      expect(response.body.items.map((event: { action: string }) => event.action)).toEqual([
        'organization.updated',
        'api_token.created',
        'membership.role_changed',
        'invitation.accepted',
        'membership.created',
        'invitation.created',
        'membership.created',
        'organization.created',
      ]);
      expect(response.body.items.every((event: { organizationId: string }) => event.organizationId === admin.organization.id)).toBe(true);
      const verification = await admin.agent.get(`${orgPath(admin)}/audit/verify`).expect(200);
      expect(verification.body).toEqual({ valid: true, checked: 8 });
    });

    it('pages with limit and nextCursor', async () => {
      const admin = await t.signUp({ organization: 'Paged Audit' });
      await admin.agent.patch(orgPath(admin)).set('X-CSRF-Token', admin.csrf).send({ country: 'BE', version: 1 }).expect(200);
      const first = await admin.agent.get(`${orgPath(admin)}/audit?limit=2`).expect(200);
      expect(first.body.items.map((event: { action: string }) => event.action)).toEqual(['organization.updated', 'membership.created']);
      expect(first.body.nextCursor).toBe(first.body.items[1].id);
      const second = await admin.agent.get(`${orgPath(admin)}/audit?limit=2&before=${first.body.nextCursor}`).expect(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ action: 'organization.created' })], nextCursor: null });
    });

    it('is for owners and admins only (403 for a viewer)', async () => {
      const viewer = await t.addMember(owner, 'viewer');
      const response = await viewer.agent.get(`${orgPath(owner)}/audit`).expect(403);
      expect(response.body.message).toBe('Your role (viewer) does not allow audit.read.');
    });
  });

  describe('isolation between organizations', () => {
    it('answers 404 to a member of another organization on every organization route', async () => {
      const victim = await t.signUp({ organization: 'Isolated Victim' });
      const member = await t.addMember(victim, 'viewer');
      const path = orgPath(victim);
      const attempts = [
        stranger.agent.get(path),
        stranger.agent.patch(path).set('X-CSRF-Token', stranger.csrf).send({ name: 'Taken Over', version: 1 }),
        stranger.agent.get(`${path}/members`),
        stranger.agent.patch(`${path}/members/${member.membershipId}`).set('X-CSRF-Token', stranger.csrf).send({ role: 'owner', version: 1 }),
        stranger.agent.delete(`${path}/members/${member.membershipId}`).set('X-CSRF-Token', stranger.csrf),
        stranger.agent.get(`${path}/audit`),
        stranger.agent.get(`${path}/audit/verify`),
      ];
      for (const attempt of attempts) {
        const response = await attempt;
        expect([response.status, response.body]).toEqual([404, NOT_FOUND]);
      }
      expect(await organizationRow(victim.organization.id)).toMatchObject({ name: 'Isolated Victim', version: 1 });
      expect(await t.sql('SELECT role, version FROM memberships WHERE id = $1', [member.membershipId])).toEqual([{ role: 'viewer', version: 1 }]);
    });

    it('does not reach another organization’s memberships through one’s own organization', async () => {
      const victim = await t.signUp({ organization: 'Victim Through Own' });
      const member = await t.addMember(victim, 'viewer');
      const change = await stranger.agent
        .patch(`${orgPath(stranger)}/members/${member.membershipId}`)
        .set('X-CSRF-Token', stranger.csrf)
        .send({ role: 'owner', version: 1 })
        .expect(404);
      expect(change.body.message).toBe('No such member in this organization.');
      const remove = await stranger.agent.delete(`${orgPath(stranger)}/members/${member.membershipId}`).set('X-CSRF-Token', stranger.csrf).expect(404);
      expect(remove.body.message).toBe('No such member in this organization.');
      expect(await t.sql('SELECT role FROM memberships WHERE id = $1', [member.membershipId])).toEqual([{ role: 'viewer' }]);

      const ownMembers = await stranger.agent.get(`${orgPath(stranger)}/members`).expect(200);
      expect(ownMembers.body.map((row: { userId: string }) => row.userId)).toEqual([stranger.user.id]);
      const ownAudit = await stranger.agent.get(`${orgPath(stranger)}/audit`).expect(200);
      expect(ownAudit.body.items.every((event: { organizationId: string }) => event.organizationId === stranger.organization.id)).toBe(true);
    });
  });
});
