import { Actor, createTestApp, TestApp } from './support/test-app';
import { tamperWithAuditEvent } from './support/audit-tamper';

describe('audit log', () => {
  let t: TestApp;
  let owner: Actor;
  let other: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp({ organization: 'Chain Keepers' });
    other = await t.signUp({ organization: 'Outsiders' });
    const write = (path: string, body: object) => owner.agent.post(`/api/v1/orgs/${owner.organization.slug}${path}`).set('X-CSRF-Token', owner.csrf).send(body);
    await write('/invitations', { email: 'one@example.org', role: 'editor' }).expect(201);
    await write('/invitations', { email: 'two@example.org', role: 'viewer' }).expect(201);
    await write('/tokens', { name: 'exporter', scopes: ['read'] }).expect(201);
  });
  afterAll(() => t.close());

  const audit = (path = '') => owner.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit${path}`);

  it('records each change with its actor, newest first, linked by hashes', async () => {
    const { body } = await audit().expect(200);
    expect(body.items.map((event: { action: string }) => event.action)).toEqual([
      'api_token.created',
      'invitation.created',
      'invitation.created',
      'membership.created',
      'organization.created',
    ]);
    for (const event of body.items) {
      expect(event.actorUserId).toBe(owner.user.id);
      expect(event.organizationId).toBe(owner.organization.id);
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(event.requestId).toEqual(expect.any(String));
    }
    const [newest, ...older] = body.items;
    expect(newest.previousHash).toBe(older[0].hash);
    expect(body.items[body.items.length - 1].previousHash).toBeNull();
  });

  it('pages with a cursor', async () => {
    const first = await audit('?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await audit(`?limit=2&before=${first.body.nextCursor}`).expect(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    expect(Number(second.body.items[0].id)).toBeLessThan(Number(first.body.items[1].id));
    await audit('?limit=1000').expect(400);
  });

  it('verifies an intact chain', async () => {
    await audit('/verify').expect(200, { valid: true, checked: 5 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even from the table owner', async () => {
    await expect(t.sql(`UPDATE audit_events SET action = 'forged' WHERE organization_id = $1`, [owner.organization.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_events WHERE organization_id = $1`, [owner.organization.id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });

  it('names the first broken link after someone with superuser rights tampers with an event', async () => {
    const { body } = await audit().expect(200);
    const target = body.items[2];
    await tamperWithAuditEvent(t, target.id, { email: 'forged@example.org', role: 'owner' });
    const verification = await audit('/verify').expect(200);
    expect(verification.body).toEqual({ valid: false, checked: 3, brokenAt: target.id });
  });

  it('keeps chains per organization: another organization’s chain is intact and its own', async () => {
    await other.agent.get(`/api/v1/orgs/${other.organization.slug}/audit/verify`).expect(200, { valid: true, checked: 2 });
    await other.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit`).expect(404);
    await other.agent.get(`/api/v1/orgs/${owner.organization.slug}/audit/verify`).expect(404);
  });
});
