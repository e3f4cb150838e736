import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { newSecretToken } from '../src/common/secret-token';
import { asCaller, call, orgPath } from './support/assessment-fixtures';
import { csrfFrom, messageFor, open, postForm } from './support/html';
import { createTestApp, PASSWORD, TestApp } from './support/test-app';

const REPEATED = 'password is too easy to guess: Repeated characters like "aaa" are easy to guess. Add more words that are less common. Avoid repeated words and characters.';
const COMMON = 'password is too easy to guess: This is similar to a commonly used password. Add more words that are less common.';

/**
 * Passwords a guesser would find soon are refused wherever a password is set, with a 400 that names the
 * field and says why in plain words; a long passphrase of unrelated words passes.
 */
describe('password strength', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No operator from the environment: the set-up link is open, to try its form too.
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const signUp = (password: string, email = `strength-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}@example.org`) =>
    request(t.server).post('/api/v1/auth/signup').send({ email, password, name: 'Sam Strength', organization: { name: `Strength ${email}`, kind: 'provider' } });

  it('refuses aaaaaaaaaaaa and password1234 at sign-up, naming password and saying why, and creates nothing', async () => {
    const repeated = await signUp('aaaaaaaaaaaa').expect(400);
    expect(repeated.body).toMatchObject({ code: 'request.invalid', details: { password: [REPEATED] } });
    expect((await signUp('password1234').expect(400)).body.details).toEqual({ password: [COMMON] });
    // Length is still checked first, and alone.
    expect((await signUp('aaaa').expect(400)).body.details).toEqual({ password: ['password must be at least 12 characters long'] });
    expect((await signUp('a'.repeat(257)).expect(400)).body.details).toEqual({ password: ['password must be at most 256 characters long'] });
    expect(await t.sql(`SELECT 1 FROM users WHERE name = 'Sam Strength'`)).toEqual([]);
    await signUp(PASSWORD).expect(201);
  });

  it('refuses a password made of the account’s own address', async () => {
    const email = `quorvald.xanthippe.${Date.now().toString(36)}@example.org`;
    expect((await signUp(email, email).expect(400)).body.details.password[0]).toMatch(/^password is too easy to guess: /);
  });

  it('refuses a weak new password when changing it, resetting it and accepting an invitation', async () => {
    const owner = await t.signUp();
    const change = await owner.agent.put('/api/v1/auth/password').set('X-CSRF-Token', owner.csrf).send({ currentPassword: PASSWORD, newPassword: 'password1234' }).expect(400);
    expect(change.body.details).toEqual({ newPassword: [COMMON.replace(/^password/, 'newPassword')] });

    const reset = newSecretToken();
    await t.sql(`INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '30 minutes')`, [owner.user.id, reset.hash]);
    expect((await request(t.server).post(`/api/v1/auth/password-reset/${reset.token}`).send({ password: 'aaaaaaaaaaaa' }).expect(400)).body.details).toEqual({ password: [REPEATED] });
    // Refused before the link is spent: it still sets a good password.
    await request(t.server).post(`/api/v1/auth/password-reset/${reset.token}`).send({ password: `${PASSWORD} again` }).expect(200);

    const admin = await t.signIn(owner.user.email, `${PASSWORD} again`);
    const invitation = await call(t, asCaller(admin), 'post', `${orgPath(owner.organization.slug)}/invitations`).send({ email: 'newcomer-strength@example.org', role: 'editor' }).expect(201);
    const accept = await request(t.server).post(`/api/v1/invitations/${invitation.body.token}/accept`).send({ name: 'New Comer', password: 'password1234' }).expect(400);
    expect(accept.body.details).toEqual({ password: [COMMON] });
  });

  it('shows the reason beside the field on the sign-up, account and set-up pages', async () => {
    const browser: TestAgent = request.agent(t.server);
    const page = await open(browser, '/signup');
    const refused = await postForm(browser, '/signup', {
      _csrf: csrfFrom(page),
      email: 'page-strength@example.org',
      password: 'password1234',
      name: 'Page Person',
      'organization[name]': 'Page Strength Org',
      'organization[kind]': 'provider',
    }).expect(400);
    expect(messageFor(refused.text, 'password')).toBe(COMMON);

    const person = await t.signUp();
    const account = await open(person.agent, '/account');
    const weak = await postForm(person.agent, '/account/password', { _csrf: csrfFrom(account), currentPassword: PASSWORD, newPassword: 'aaaaaaaaaaaa' }).expect(400);
    expect(messageFor(weak.text, 'new-password')).toBe(REPEATED.replace(/^password/, 'newPassword'));

    const setup = newSecretToken();
    await t.sql(`INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + interval '1 hour')`, [setup.hash]);
    const setupPage = await open(browser, `/setup/${setup.token}`);
    const operator = await postForm(browser, `/setup/${setup.token}`, { _csrf: csrfFrom(setupPage), email: 'ops-strength@example.org', name: 'Ops', password: 'password1234' }).expect(400);
    expect(messageFor(operator.text, 'password')).toBe(COMMON);
    expect(await t.sql(`SELECT 1 FROM users WHERE is_operator`)).toEqual([]);
  });
});
