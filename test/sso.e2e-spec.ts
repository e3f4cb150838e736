import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { OPERATOR, OPERATOR_ENV } from './support/assessment-fixtures';
import { csrfFrom, flashOf, messageFor, open, postForm, textOf, unlabelledControls } from './support/html';
import { startOpenIdProvider, type OpenIdProvider } from './support/openid-provider';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

const PUBLIC_URL = 'http://adhere.localhost:8080';
const CALLBACK = `${PUBLIC_URL}/auth/sso/callback`;
const ACME = { clientId: 'acme-adhere', clientSecret: 'acme-client-secret-value' };
const BETA = { clientId: 'beta-adhere', clientSecret: 'beta-client-secret-value' };

/**
 * Single sign-on against a real OpenID provider (oidc-provider, in a child process): an owner sets it
 * up, the operator confirms the domain, and people of that domain sign in through the provider, with
 * state, nonce and PKCE checked on the way back.
 */
describe('single sign-on', () => {
  let t: TestApp;
  let idp: OpenIdProvider;
  let acme: Actor;
  let beta: Actor;
  let operator: { agent: TestAgent; csrf: string };

  const settings = (overrides: Record<string, unknown> = {}) => ({ issuer: idp.issuer, ...ACME, domains: ['acme.test'], defaultRole: 'editor', ...overrides });
  const put = (actor: Actor, body: Record<string, unknown>) => actor.agent.put(`/api/v1/orgs/${actor.organization.slug}/sso`).set('X-CSRF-Token', actor.csrf).send(body);
  const discover = (email: string) => request(t.server).post('/api/v1/auth/sso/discover').send({ email });
  /** Starts a sign-in in a fresh browser: its agent and where the application sends it. */
  const start = async (email: string) => {
    const agent = request.agent(t.server);
    const started = await agent.get(`/auth/sso/start?email=${encodeURIComponent(email)}`).expect(302);
    return { agent, location: started.headers.location as string };
  };
  const callback = (agent: TestAgent, url: URL) => agent.get(`${url.pathname}${url.search}`).redirects(0);
  const whoIs = async (agent: TestAgent) => (await agent.get('/api/v1/auth/session')).body;

  beforeAll(async () => {
    idp = await startOpenIdProvider([
      { client_id: ACME.clientId, client_secret: ACME.clientSecret, redirect_uris: [CALLBACK] },
      { client_id: BETA.clientId, client_secret: BETA.clientSecret, redirect_uris: [CALLBACK] },
    ]);
    t = await createTestApp({ ...OPERATOR_ENV, PUBLIC_URL, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    acme = await t.signUp({ organization: 'Acme Messaging' });
    beta = await t.signUp({ organization: 'Beta Chat' });
    operator = await t.signIn(OPERATOR.email, OPERATOR.password);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('an owner sets it up; the domain waits for the operator; then a first sign-in creates the account and membership, and a second signs the same one in', async () => {
    const saved = await put(acme, settings()).expect(200);
    expect(saved.body).toMatchObject({ issuer: idp.issuer, clientId: ACME.clientId, domains: [{ domain: 'acme.test', status: 'pending' }], defaultRole: 'editor', ssoOnly: false, version: 1 });
    const read = await acme.agent.get(`/api/v1/orgs/${acme.organization.slug}/sso`).expect(200);
    expect(JSON.stringify(read.body)).not.toContain(ACME.clientSecret);
    const [stored] = await t.sql<{ client_secret_sealed: string }>(`SELECT client_secret_sealed FROM sso_configs WHERE organization_id = $1`, [acme.organization.id]);
    expect(stored.client_secret_sealed).not.toContain(ACME.clientSecret);

    // Not confirmed yet: the domain signs nobody in.
    expect((await discover('alice@acme.test').expect(200)).body).toEqual({ sso: false });
    const early = await request(t.server).get('/auth/sso/start?email=alice@acme.test').expect(302);
    expect(early.headers.location).toBe('/signin/sso?email=alice%40acme.test');

    const pending = await operator.agent.get('/api/v1/admin/sso-domains?status=pending').expect(200);
    expect(pending.body).toEqual([expect.objectContaining({ domain: 'acme.test', status: 'pending', organization: expect.objectContaining({ id: acme.organization.id }) })]);
    await operator.agent.post('/api/v1/admin/sso-domains/acme.test/confirm').set('X-CSRF-Token', operator.csrf).expect(200).expect((answer) => expect(answer.body).toMatchObject({ status: 'confirmed' }));
    await operator.agent.post('/api/v1/admin/sso-domains/acme.test/confirm').set('X-CSRF-Token', operator.csrf).expect(409);

    const discovered = await discover('Alice@Acme.test').expect(200);
    expect(discovered.body).toEqual({ sso: true, url: `${PUBLIC_URL}/auth/sso/start?email=Alice%40Acme.test`, organization: { name: 'Acme Messaging' } });

    const first = await start('alice@acme.test');
    const authorization = new URL(first.location);
    expect(authorization.origin).toBe(idp.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    for (const name of ['state', 'nonce', 'code_challenge']) expect(authorization.searchParams.get(name)).toMatch(/^[\w-]{22,}$/);
    const back = await callback(first.agent, await idp.signIn(first.location, 'alice@acme.test')).expect(303);
    expect(back.headers.location).toBe(`/app/${acme.organization.slug}`);
    const session = await whoIs(first.agent);
    expect(session.user).toMatchObject({ email: 'alice@acme.test', name: 'Person alice' });
    expect(session.memberships).toEqual([{ organization: expect.objectContaining({ id: acme.organization.id }), role: 'editor' }]);
    const overview = await open(first.agent, `/app/${acme.organization.slug}`);
    expect(flashOf(overview)).toBe('Welcome to Adhere. You joined Acme Messaging through its single sign-on.');

    const second = await start('alice@acme.test');
    await callback(second.agent, await idp.signIn(second.location, 'alice@acme.test')).expect(303);
    expect((await whoIs(second.agent)).user.id).toBe(session.user.id);
    expect(await t.sql(`SELECT id FROM users WHERE lower(email) = 'alice@acme.test'`)).toHaveLength(1);
    const audit = await t.sql<{ action: string }>(`SELECT action FROM audit_events WHERE action LIKE 'sso.%' ORDER BY id`);
    expect(audit.map((event) => event.action)).toEqual(['sso.domain_claimed', 'sso.configured', 'sso.domain_confirmed', 'sso.account_created', 'sso.signed_in', 'sso.signed_in']);
  });

  it('refuses a callback whose state is not the one the sign-in sent', async () => {
    const flow = await start('alice@acme.test');
    const returned = await idp.signIn(flow.location, 'alice@acme.test');
    returned.searchParams.set('state', 'a-state-this-browser-never-sent');
    const refused = await callback(flow.agent, returned).expect(400);
    expect(textOf(refused.text)).toContain('Single sign-on failed');
    expect(textOf(refused.text)).toContain('sso.sign_in_failed');
    expect(textOf(refused.text)).toMatch(/state/i);
    await flow.agent.get('/api/v1/auth/session').expect(401);
  });

  it('refuses an ID token issued for another nonce', async () => {
    const flow = await start('alice@acme.test');
    // The same request (state, PKCE challenge) as the browser's, but the provider is asked for another nonce.
    const tampered = new URL(flow.location);
    tampered.searchParams.set('nonce', 'a-nonce-of-another-flow-entirely');
    const refused = await callback(flow.agent, await idp.signIn(tampered.href, 'alice@acme.test')).expect(400);
    expect(textOf(refused.text)).toMatch(/nonce/i);
    await flow.agent.get('/api/v1/auth/session').expect(401);
  });

  it('refuses a callback replayed in another browser, and one used twice', async () => {
    const flow = await start('alice@acme.test');
    const returned = await idp.signIn(flow.location, 'alice@acme.test');
    await callback(request.agent(t.server), returned).expect(400);
    await callback(flow.agent, returned).expect(303);
    await callback(flow.agent, returned).expect(400);
  });

  it('refuses an address outside the claimed domains, and one the provider has not verified', async () => {
    const outside = await start('alice@acme.test');
    const refused = await callback(outside.agent, await idp.signIn(outside.location, 'eve@elsewhere.test')).expect(403);
    expect(textOf(refused.text)).toContain('eve@elsewhere.test, which is not in a domain this organization has claimed');
    const unverified = await start('alice@acme.test');
    await callback(unverified.agent, await idp.signIn(unverified.location, 'unverified+bob@acme.test')).expect(403);
    expect(await t.sql(`SELECT id FROM users WHERE email IN ('eve@elsewhere.test', 'bob@acme.test')`)).toEqual([]);
  });

  it('a domain belongs to one organization: another one’s claim is a 409, pending or confirmed, and nothing of it is written', async () => {
    const taken = await put(beta, { ...settings(BETA), domains: ['beta.test', 'acme.test'] }).expect(409);
    expect(taken.body).toMatchObject({ code: 'sso.domain_taken', details: { domains: [expect.stringContaining('acme.test is claimed by another organization')] } });
    await beta.agent.get(`/api/v1/orgs/${beta.organization.slug}/sso`).expect(404);
    await put(beta, { ...settings(BETA), domains: ['beta.test'] }).expect(200);
    const gamma = await t.signUp({ organization: 'Gamma Mail' });
    await put(gamma, { ...settings(BETA), domains: ['beta.test'] }).expect(409);
    // Rejected by the operator, the claim gives way.
    await operator.agent.post('/api/v1/admin/sso-domains/beta.test/reject').set('X-CSRF-Token', operator.csrf).expect(200).expect((answer) => expect(answer.body).toMatchObject({ status: 'rejected' }));
    await put(gamma, { ...settings(BETA), domains: ['beta.test'] }).expect(200).expect((answer) => expect(answer.body).toMatchObject({ domains: [{ domain: 'beta.test', status: 'pending' }] }));
  });

  it('checks the settings: https issuer, discovery, no public mail domain, no owner role, a secret, the current version', async () => {
    const gamma = await t.signUp({ organization: 'Delta Post' });
    const refuse = async (body: Record<string, unknown>, status: number, code: string, field: string) => {
      const answer = await put(gamma, body).expect(status);
      expect(answer.body.code).toBe(code);
      expect(Object.keys(answer.body.details ?? {})).toContain(field);
    };
    await refuse(settings({ domains: ['delta.test'], issuer: 'http://idp.example.com' }), 400, 'sso.issuer_refused', 'issuer');
    await refuse(settings({ domains: ['delta.test'], issuer: 'http://127.0.0.1:9/nothing-here' }), 400, 'sso.issuer_unreachable', 'issuer');
    await refuse(settings({ domains: ['gmail.com'] }), 400, 'sso.public_mail_domain', 'domains');
    await refuse(settings({ domains: ['delta.test'], defaultRole: 'owner' }), 400, 'request.invalid', 'defaultRole');
    await refuse(settings({ domains: ['delta.test'], defaultRole: 'reviewer' }), 400, 'sso.role_not_allowed', 'defaultRole');
    await refuse(settings({ domains: ['not a domain'] }), 400, 'request.invalid', 'domains');
    await refuse({ ...settings({ domains: ['delta.test'] }), clientSecret: undefined }, 400, 'sso.client_secret_required', 'clientSecret');
    expect(await t.sql(`SELECT 1 FROM sso_domains WHERE organization_id = $1`, [gamma.organization.id])).toEqual([]);
    await put(gamma, settings({ domains: ['delta.test'] })).expect(200);
    await refuse(settings({ domains: ['delta.test'] }), 409, 'sso.stale_version', 'version');
    // Without a new secret, the stored one is kept (discovery with it still succeeds).
    await put(gamma, { ...settings({ domains: ['delta.test'], version: 1 }), clientSecret: '' }).expect(200).expect((answer) => expect(answer.body).toMatchObject({ version: 2 }));
    await gamma.agent.delete(`/api/v1/orgs/${gamma.organization.slug}/sso`).set('X-CSRF-Token', gamma.csrf).expect(204);
    expect(await t.sql(`SELECT 1 FROM sso_domains WHERE organization_id = $1`, [gamma.organization.id])).toEqual([]);
    await gamma.agent.delete(`/api/v1/orgs/${gamma.organization.slug}/sso`).set('X-CSRF-Token', gamma.csrf).expect(404);
  });

  it('another organization cannot read or change the settings, nor can a member who is not the owner', async () => {
    const base = `/api/v1/orgs/${acme.organization.slug}/sso`;
    await beta.agent.get(base).expect(404);
    await beta.agent.put(base).set('X-CSRF-Token', beta.csrf).send(settings({ version: 1 })).expect(404);
    await beta.agent.delete(base).set('X-CSRF-Token', beta.csrf).expect(404);
    const editor = await t.addMember(acme, 'editor');
    await editor.agent.get(base).expect(403);
    await editor.agent.put(base).set('X-CSRF-Token', editor.csrf).send(settings({ version: 1 })).expect(403);
    await acme.agent.get(base).expect(200).expect((answer) => expect(answer.body).toMatchObject({ version: 1, clientId: ACME.clientId }));
    await operator.agent.get('/api/v1/admin/sso-domains').expect(200);
    await acme.agent.get('/api/v1/admin/sso-domains').expect(403);
    await acme.agent.post('/api/v1/admin/sso-domains/acme.test/reject').set('X-CSRF-Token', acme.csrf).expect(403);
  });

  it('with ssoOnly, a password of such an address is refused, and so is a password reset, pointing at single sign-on', async () => {
    const carol = await t.signUp({ email: 'carol@acme.test', organization: 'Carol Consulting' });
    await request(t.server).post('/api/v1/auth/login').send({ email: carol.user.email, password: PASSWORD }).expect(200);
    const current = (await acme.agent.get(`/api/v1/orgs/${acme.organization.slug}/sso`)).body;
    await put(acme, settings({ ssoOnly: true, version: current.version })).expect(200).expect((answer) => expect(answer.body).toMatchObject({ ssoOnly: true }));

    const refused = await request(t.server).post('/api/v1/auth/login').send({ email: 'Carol@acme.test', password: PASSWORD }).expect(401);
    expect(refused.body).toMatchObject({ code: 'auth.sso_required', message: expect.stringContaining('Acme Messaging signs its members in through its own identity provider') });
    expect(refused.body.message).toContain('/signin/sso');
    const reset = await request(t.server).post('/api/v1/auth/password-reset').send({ email: carol.user.email }).expect(401);
    expect(reset.body.code).toBe('auth.sso_required');

    const page = request.agent(t.server);
    const form = await open(page, '/signin');
    expect(form).toContain('href="/signin/sso"');
    const shown = await postForm(page, '/signin', { _csrf: csrfFrom(form), email: carol.user.email, password: PASSWORD }).expect(401);
    expect(messageFor(shown.text, 'email')).toContain('Sign in with your organization');
    const forgot = await open(page, '/forgot-password');
    const noReset = await postForm(page, '/forgot-password', { _csrf: csrfFrom(forgot), email: carol.user.email }).expect(401);
    expect(messageFor(noReset.text, 'email')).toContain('Adhere takes no password for this address');
    // Another domain's people still sign in with their passwords.
    await request(t.server).post('/api/v1/auth/login').send({ email: beta.user.email, password: PASSWORD }).expect(200);
    // Through the identity provider, carol is welcome: her account gets the membership.
    const flow = await start(carol.user.email);
    await callback(flow.agent, await idp.signIn(flow.location, carol.user.email)).expect(303);
    const session = await whoIs(flow.agent);
    expect(session.user.id).toBe(carol.user.id);
    expect(session.memberships.map((membership: { role: string }) => membership.role).sort()).toEqual(['editor', 'owner']);
    await put(acme, settings({ ssoOnly: false, version: current.version + 1 })).expect(200);
  });

  it('pages: the settings form, the operator’s confirmation page and sign-in by address', async () => {
    const owner = await t.signUp({ organization: 'Epsilon Apps' });
    const org = owner.organization.slug;
    expect(await open(owner.agent, `/app/${org}/settings`)).toContain(`href="/app/${org}/settings/sso"`);
    const form = await open(owner.agent, `/app/${org}/settings/sso`);
    expect(unlabelledControls(form)).toEqual([]);
    expect(textOf(form)).toContain(CALLBACK);
    const fields = { _csrf: csrfFrom(form), issuer: 'http://idp.example.com', clientId: ACME.clientId, clientSecret: ACME.clientSecret, domains: 'epsilon.test\nmail.epsilon.test', defaultRole: 'viewer' };
    const again = await postForm(owner.agent, `/app/${org}/settings/sso`, fields).expect(400);
    expect(messageFor(again.text, 'issuer')).toContain('issuer must be an https address');
    expect(again.text).toContain('mail.epsilon.test');
    const saved = await postForm(owner.agent, `/app/${org}/settings/sso`, { ...fields, issuer: idp.issuer, ssoOnly: 'true' }).expect(303);
    const after = await open(owner.agent, saved.headers.location);
    expect(flashOf(after)).toContain('epsilon.test, mail.epsilon.test wait for the operator');
    expect(after).not.toContain(ACME.clientSecret);
    expect(textOf(after)).toContain('waiting for the operator');

    const admin = await open(operator.agent, '/app/admin/sso-domains');
    expect(textOf(admin)).toContain('epsilon.test Epsilon Apps');
    const confirmed = await postForm(operator.agent, '/app/admin/sso-domains/epsilon.test/confirm', { _csrf: csrfFrom(admin) }).expect(303);
    expect(flashOf(await open(operator.agent, confirmed.headers.location))).toBe('epsilon.test is confirmed for Epsilon Apps; its addresses now sign in through its identity provider.');
    await open(owner.agent, '/app/admin/sso-domains', 403);

    const browser = request.agent(t.server);
    const signIn = await open(browser, '/signin/sso');
    expect(unlabelledControls(signIn)).toEqual([]);
    expect(signIn).toContain('action="/auth/sso/start"');
    const unknown = await browser.get('/auth/sso/start?email=zoe@nowhere.test').expect(302);
    expect(flashOf(await open(browser, unknown.headers.location))).toContain('No organization signs in addresses like zoe@nowhere.test');
    const started = await browser.get('/auth/sso/start?email=zed@epsilon.test').expect(302);
    const back = await callback(browser, await idp.signIn(started.headers.location, 'zed@epsilon.test')).expect(303);
    expect(back.headers.location).toBe(`/app/${org}`);
    expect((await whoIs(browser)).memberships).toEqual([{ organization: expect.objectContaining({ slug: org }), role: 'viewer' }]);
  });
});
