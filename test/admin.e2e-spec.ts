import request from 'supertest';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { createToken, OPERATOR, OPERATOR_ENV, UNKNOWN_ID } from './support/assessment-fixtures';
import { tamperWithAuditEvent } from './support/audit-tamper';
import { csrfFrom, flashOf, messageFor, open, postForm, textOf, unlabelledControls } from './support/html';
import { monitoringBody, verifiedAssessment } from './support/review-fixtures';
import { routeTable } from './support/route-table';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

const MAX_FAILURES = 3;
let nextNetwork = 0;
/** Networks, as the load balancer in front reports them (X-Forwarded-For, trusted from the loopback). */
const network = () => `198.51.100.${(nextNetwork += 1)}`;

/**
 * The operator's help desk: finding people and organizations, suspending and reactivating them, lifting
 * sign-in pauses, sending reset links, and the platform's audit chain, through the API and the pages.
 */
describe('the operator can help', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let operator: { agent: Actor['agent']; csrf: string };
  let operatorId: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ ...OPERATOR_ENV, LOGIN_MAX_FAILURES: String(MAX_FAILURES), SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    [{ id: operatorId }] = await t.sql<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [OPERATOR.email]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const deliver = () => t.app.get(NotificationDelivery).deliverDue();
  const mailsTo = (email: string, subject: string) => smtp.received.filter((mail) => mail.recipients.includes(email) && mail.headers.subject === subject);
  const login = (email: string, password: string, from = network()) => request(t.server).post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });
  const admin = (method: 'get' | 'post', path: string) => operator.agent[method](`/api/v1/admin${path}`).set('X-CSRF-Token', operator.csrf);
  const platformActions = async (targetId: string) =>
    (await t.sql<{ action: string }>(`SELECT action FROM audit_events WHERE organization_id IS NULL AND target_id = $1 ORDER BY id`, [targetId])).map((row) => row.action);

  it('finds people by address or name and organizations by name or slug, a page at a time', async () => {
    const ada = await t.signUp({ name: 'Ada Quillfeather', email: 'ada.quill@example.org', organization: 'Quillfeather Safety' });
    await t.signUp({ name: 'Bram Quillfeather', email: 'bram@example.org', organization: 'Bramble Labs' });

    const byName = (await admin('get', '/users?q=quillfeather').expect(200)).body;
    expect(byName.total).toBe(2);
    expect(byName.items.map((user: { email: string }) => user.email)).toEqual(['ada.quill@example.org', 'bram@example.org']);
    const paged = (await admin('get', '/users?q=quillfeather&limit=1&offset=1').expect(200)).body;
    expect(paged).toMatchObject({ total: 2, limit: 1, offset: 1, items: [{ email: 'bram@example.org', suspendedAt: null }] });
    expect((await admin('get', '/users?q=ADA.QUILL').expect(200)).body.items.map((user: { id: string }) => user.id)).toEqual([ada.user.id]);
    // Wildcards are taken as typed.
    expect((await admin('get', '/users?q=%25').expect(200)).body.total).toBe(0);
    const invalid = await admin('get', '/users?limit=0').expect(400);
    expect(invalid.body.details).toHaveProperty('limit');

    const organizations = (await admin('get', `/organizations?q=${ada.organization.slug}`).expect(200)).body;
    expect(organizations.items).toEqual([expect.objectContaining({ id: ada.organization.id, name: 'Quillfeather Safety', members: 1, suspendedAt: null })]);
    expect((await admin('get', '/organizations?q=bramble').expect(200)).body.total).toBe(1);

    const page = await open(operator.agent, '/app/admin/users?q=quillfeather');
    expect(textOf(page)).toContain('Ada Quillfeather');
    expect(page).toContain(`href="/app/admin/users/${ada.user.id}"`);
    const organizationsPage = await open(operator.agent, '/app/admin/organizations?q=quillfeather');
    expect(organizationsPage).toContain(`href="/app/admin/organizations/${ada.organization.id}"`);
  });

  it('shows the operator an index, a person and an organization', async () => {
    const index = await open(operator.agent, '/app/admin');
    for (const link of ['/app/admin/users', '/app/admin/organizations', '/app/admin/audit', '/app/admin/sso-domains']) expect(index).toContain(`href="${link}"`);
    expect(unlabelledControls(index)).toEqual([]);

    const owner = await t.signUp({ organization: 'Profiled Ltd' });
    const profile = (await admin('get', `/users/${owner.user.id}`).expect(200)).body;
    expect(profile).toMatchObject({ id: owner.user.id, email: owner.user.email, suspendedAt: null, lockedUntil: null, sessions: 1 });
    expect(profile.memberships).toEqual([expect.objectContaining({ organizationId: owner.organization.id, role: 'owner' })]);
    const page = textOf(await open(operator.agent, `/app/admin/users/${owner.user.id}`));
    expect(page).toContain('Profiled Ltd — owner');
    expect(page).toMatch(/Signed-in sessions 1/);
    expect(page).toMatch(/Status Active/);

    const organization = (await admin('get', `/organizations/${owner.organization.id}`).expect(200)).body;
    expect(organization.members).toEqual([expect.objectContaining({ userId: owner.user.id, role: 'owner' })]);
    expect(textOf(await open(operator.agent, `/app/admin/organizations/${owner.organization.id}`))).toContain(owner.user.email);
    await admin('get', `/users/${UNKNOWN_ID}`).expect(404);
    await admin('get', `/organizations/${UNKNOWN_ID}`).expect(404);
  });

  it('suspends a person: sign-in refused as a wrong password, sessions and tokens stop, all back after reactivation', async () => {
    const person = await t.signUp();
    const token = await createToken(person, ['read']);
    const elsewhere = await t.signIn(person.user.email);
    const withToken = () => request(t.server).get(`/api/v1/orgs/${person.organization.slug}`).set('Authorization', `Bearer ${token}`);
    await withToken().expect(200);

    const missing = await admin('post', `/users/${person.user.id}/suspend`).send({ reason: '   ' }).expect(400);
    expect(missing.body.details).toHaveProperty('reason');
    await admin('post', `/users/${person.user.id}/suspend`).send({ reason: 'Reported for sharing an account.' }).expect(204);
    await admin('post', `/users/${person.user.id}/suspend`).send({ reason: 'Again.' }).expect(409);

    const wrong = await login(person.user.email, 'not the password at all');
    const refused = await login(person.user.email, PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);
    for (const agent of [person.agent, elsewhere.agent]) await agent.get('/api/v1/auth/session').expect(401);
    expect((await withToken().expect(401)).body.code).toBe('auth.token_creator_suspended');
    const profile = (await admin('get', `/users/${person.user.id}`).expect(200)).body;
    expect(profile).toMatchObject({ sessions: 0, suspendedReason: 'Reported for sharing an account.' });

    await deliver();
    const [told] = mailsTo(person.user.email, 'Your Adhere account is suspended');
    expect(told.text).toContain('Reported for sharing an account.');

    await admin('post', `/users/${person.user.id}/reactivate`).expect(204);
    await admin('post', `/users/${person.user.id}/reactivate`).expect(409);
    await login(person.user.email, PASSWORD).expect(200);
    await withToken().expect(200);
    await deliver();
    expect(mailsTo(person.user.email, 'Your Adhere account works again')).toHaveLength(1);
    expect(await platformActions(person.user.id)).toEqual(expect.arrayContaining(['account.suspended', 'account.reactivated']));
  });

  it('does not let the operator suspend themselves', async () => {
    const refused = await admin('post', `/users/${operatorId}/suspend`).send({ reason: 'Testing.' }).expect(409);
    expect(refused.body.code).toBe('admin.own_account');
    expect(textOf(await open(operator.agent, `/app/admin/users/${operatorId}`))).toContain('You cannot suspend your own account');
  });

  it('suspends and reactivates a person through the pages, showing a missing reason beside its field', async () => {
    const person = await t.signUp();
    const page = await open(operator.agent, `/app/admin/users/${person.user.id}`);
    expect(unlabelledControls(page)).toEqual([]);
    const empty = await postForm(operator.agent, `/app/admin/users/${person.user.id}/suspend`, { _csrf: csrfFrom(page), reason: '' }).expect(400);
    expect(messageFor(empty.text, 'user-reason')).toBe('reason must say why, in at most 1000 characters');
    const done = await postForm(operator.agent, `/app/admin/users/${person.user.id}/suspend`, { _csrf: csrfFrom(page), reason: 'Spam.' }).expect(303);
    expect(done.headers.location).toBe(`/app/admin/users/${person.user.id}`);
    const suspended = await open(operator.agent, done.headers.location as string);
    expect(flashOf(suspended)).toMatch(/^The account is suspended/);
    expect(textOf(suspended)).toContain('Suspended since');
    await person.agent.get('/api/v1/auth/session').expect(401);
    await postForm(operator.agent, `/app/admin/users/${person.user.id}/reactivate`, { _csrf: csrfFrom(suspended) }).expect(303);
    await login(person.user.email, PASSWORD).expect(200);
  });

  it('suspends an organization: 403 for its members and tokens, register entries untouched', async () => {
    const provider = await t.signUp({ organization: 'Suspended Scan Ltd' });
    const member = await t.addMember(provider, 'editor');
    const token = await createToken(provider, ['read']);
    const team = await monitoringBody(t, 'Watchful Monitoring');
    const verified = await verifiedAssessment(t, provider, team);
    const bystander = await t.signUp();

    await admin('post', `/organizations/${provider.organization.id}/suspend`).send({ reason: 'Unpaid.' }).expect(204);
    for (const agent of [provider.agent, member.agent]) {
      const refused = await agent.get(`/api/v1/orgs/${provider.organization.slug}`).expect(403);
      expect(refused.body.code).toBe('tenancy.organization_suspended');
    }
    const page = await provider.agent.get(`/app/${provider.organization.slug}`).expect(403);
    expect(textOf(page.text)).toContain('tenancy.organization_suspended');
    const byToken = await request(t.server).get(`/api/v1/orgs/${provider.organization.slug}`).set('Authorization', `Bearer ${token}`).expect(403);
    expect(byToken.body.code).toBe('tenancy.organization_suspended');
    // The people themselves are not suspended, nor is anyone else.
    await provider.agent.get('/api/v1/auth/session').expect(200);
    await bystander.agent.get(`/api/v1/orgs/${bystander.organization.slug}`).expect(200);
    await team.monitor.agent.get(`/api/v1/orgs/${team.monitor.organization.slug}`).expect(200);
    const entry = await request(t.server).get(`/api/v1/register/${verified.entry.id}`).expect(200);
    expect(entry.body).toMatchObject({ status: 'verified', provider: { name: 'Suspended Scan Ltd' } });
    expect(textOf(await open(request(t.server), `/register/${verified.entry.id}`))).toContain('Suspended Scan Ltd');

    const organizationPage = await open(operator.agent, `/app/admin/organizations/${provider.organization.id}`);
    expect(textOf(organizationPage)).toContain('Suspended since');
    await postForm(operator.agent, `/app/admin/organizations/${provider.organization.id}/reactivate`, { _csrf: csrfFrom(organizationPage) }).expect(303);
    await provider.agent.get(`/api/v1/orgs/${provider.organization.slug}`).expect(200);
    await request(t.server).get(`/api/v1/orgs/${provider.organization.slug}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(await platformActions(provider.organization.id)).toEqual(['organization.suspended', 'organization.reactivated']);
  }, 60_000);

  it('lifts the sign-in pauses of an account', async () => {
    const person = await t.signUp();
    for (let failure = 0; failure < MAX_FAILURES; failure += 1) await login(person.user.email, 'a wrong guess at the password').expect(401);
    await login(person.user.email, PASSWORD).expect(401);
    const locked = (await admin('get', `/users/${person.user.id}`).expect(200)).body;
    expect(Date.parse(locked.lockedUntil)).toBeGreaterThan(Date.now());
    expect(textOf(await open(operator.agent, `/app/admin/users/${person.user.id}`))).toContain('Paused from some networks until');

    await admin('post', `/users/${person.user.id}/unlock`).expect(204);
    expect((await admin('get', `/users/${person.user.id}`).expect(200)).body.lockedUntil).toBeNull();
    await login(person.user.email, PASSWORD).expect(200);
    expect(await platformActions(person.user.id)).toContain('account.unlocked');
  });

  it("sends a password reset link to the person's own address", async () => {
    const person = await t.signUp();
    await admin('post', `/users/${person.user.id}/password-reset`).expect(202);
    await admin('post', `/users/${UNKNOWN_ID}/password-reset`).expect(404);
    await deliver();
    const mails = mailsTo(person.user.email, 'Choose a new password for your Adhere account');
    expect(mails).toHaveLength(1);
    expect(smtp.received.filter((mail) => mail.recipients.includes(OPERATOR.email))).toHaveLength(0);
    const [, token] = /^https?:\/\/\S+\/reset-password\/([A-Za-z0-9_-]+)$/m.exec(mails[0].text)!;
    await request(t.server).post(`/api/v1/auth/password-reset/${token}`).send({ password: 'a new passphrase set by the person' }).expect(200);
    await login(person.user.email, 'a new passphrase set by the person').expect(200);
    expect(await platformActions(person.user.id)).toContain('account.password_reset_sent');
  });

  it('refuses every admin route to anyone but the operator', async () => {
    const person = await t.signUp();
    const routes = routeTable(t.app).filter((route) => route.path.startsWith('/api/v1/admin') || route.path.startsWith('/app/admin'));
    expect(routes.length).toBeGreaterThanOrEqual(24);
    for (const route of routes) {
      const path = route.path.replace(':id', UNKNOWN_ID);
      const method = route.method.toLowerCase() as 'get' | 'post';
      const sent = method === 'get' ? person.agent.get(path) : path.startsWith('/api/') ? person.agent.post(path).set('X-CSRF-Token', person.csrf).send({ reason: 'x' }) : postForm(person.agent, path, { _csrf: person.csrf, reason: 'x' });
      expect(`${route.method} ${route.path} ${(await sent).status}`).toBe(`${route.method} ${route.path} 403`);
    }
  });

  it('verifies the platform audit chain on its page, and names the first tampered link', async () => {
    const intact = await admin('get', '/audit/verify').expect(200);
    expect(intact.body).toMatchObject({ valid: true });
    expect(intact.body.checked).toBeGreaterThan(5);
    const events = (await admin('get', '/audit?limit=5').expect(200)).body;
    expect(events.items).toHaveLength(5);
    expect(events.items.every((event: { organizationId: string | null }) => event.organizationId === null)).toBe(true);
    expect(textOf(await open(operator.agent, '/app/admin/audit'))).toContain(`The chain of ${intact.body.checked as number} events is intact`);

    const target = events.items[3];
    await tamperWithAuditEvent(t, target.id, { reason: 'forged' });
    const broken = await admin('get', '/audit/verify').expect(200);
    expect(broken.body).toMatchObject({ valid: false, brokenAt: target.id });
    expect(textOf(await open(operator.agent, '/app/admin/audit'))).toContain(`The chain is broken at event ${target.id as string}`);
  });
});
