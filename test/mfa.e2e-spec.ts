import { createHash } from 'node:crypto';
import request from 'supertest';
import { CODE_FAILURE_LIMIT, WRONG_CODE } from '../src/auth/mfa/second-factor-check';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { aMinuteLater, enrolTotp, passwordStep, totpCode } from './support/mfa-fixtures';
import { csrfFrom, flashOf, messageFor, open, postForm, textOf, unlabelledControls } from './support/html';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

const ADDED = 'A second factor was added to your Adhere account';
const REMOVED = 'A second factor was removed from your Adhere account';
const RECOVERY_USED = 'A recovery code of your Adhere account was used';

/**
 * The second factor as a person meets it: set up an authenticator app from its secret, sign out and in
 * with a code or a recovery code, each accepted once; remove it with the password and a code; and be
 * told by e-mail of each change. Codes are computed from the secret with the same RFC 6238 library an
 * app would use.
 */
describe('second factor (TOTP and recovery codes)', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const mailsTo = async (email: string, subject: string) => {
    await t.app.get(NotificationDelivery).deliverDue();
    return smtp.received.filter((mail) => mail.recipients.includes(email) && mail.headers.subject === subject);
  };
  const audited = (userId: string, action: string) => t.sql(`SELECT data FROM audit_events WHERE target_id = $1 AND action = $2`, [userId, action]);
  const factorsOf = async (who: { agent: request.Agent | Actor['agent'] }) => (await who.agent.get('/api/v1/auth/session').expect(200)).body.user.secondFactors;

  it('enrols an authenticator from its secret, then asks for a code after the password', async () => {
    const owner = await t.signUp();
    expect(await factorsOf(owner)).toEqual([]);
    const begun = await owner.agent.post('/api/v1/auth/mfa/totp').set('X-CSRF-Token', owner.csrf).expect(201);
    const { secret, otpauthUrl } = begun.body as { secret: string; otpauthUrl: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new URL(otpauthUrl).searchParams.get('secret')).toBe(secret);
    expect(otpauthUrl).toContain('issuer=Adhere');
    const [stored] = await t.sql<{ secret_ciphertext: string; confirmed_at: Date | null }>(`SELECT secret_ciphertext, confirmed_at FROM totp_factors WHERE user_id = $1`, [owner.user.id]);
    expect(stored.confirmed_at).toBeNull();
    expect(stored.secret_ciphertext).not.toContain(secret);
    // Not active until confirmed: signing in still takes the password only.
    expect((await passwordStep(t, owner.user.email)).body).toMatchObject({ user: { id: owner.user.id } });

    const wrong = await owner.agent.post('/api/v1/auth/mfa/totp/confirm').set('X-CSRF-Token', owner.csrf).send({ code: '000000' === totpCode(secret) ? '111111' : '000000' }).expect(401);
    expect(wrong.body.code).toBe('auth.wrong_code');
    const confirmed = await owner.agent.post('/api/v1/auth/mfa/totp/confirm').set('X-CSRF-Token', owner.csrf).send({ code: totpCode(secret) }).expect(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const hashes = (await t.sql<{ code_hash: string }>(`SELECT code_hash FROM recovery_codes WHERE user_id = $1`, [owner.user.id])).map((row) => row.code_hash).sort();
    expect(hashes).toEqual(codes.map((code) => createHash('sha256').update(code.replace(/-/g, '')).digest('hex')).sort());
    expect(await factorsOf(owner)).toEqual(['totp', 'recovery_code']);
    const [mail] = await mailsTo(owner.user.email, ADDED);
    expect(mail.text).toContain('An authenticator app was added to your Adhere account');
    expect(mail.text).toMatch(/^https?:\/\/\S+\/account$/m);
    expect(await audited(owner.user.id, 'account.second_factor_added')).toEqual([{ data: { method: 'totp' } }]);

    const { agent, body } = await passwordStep(t, owner.user.email);
    expect(body).toEqual({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    await agent.get('/api/v1/auth/session').expect(401);
    const refused = await agent.post('/api/v1/auth/login/mfa').send({ code: totpCode(secret, -5) }).expect(401);
    expect(refused.body).toMatchObject({ code: 'auth.wrong_code', message: WRONG_CODE });
    const done = await agent.post('/api/v1/auth/login/mfa').send({ code: totpCode(secret, 1) }).expect(200);
    expect(done.body).toEqual({ user: { id: owner.user.id, email: owner.user.email, name: owner.user.name } });
    await agent.get('/api/v1/auth/session').expect(200);
  });

  it('accepts a code once, also when two sign-ins bring it at the same moment', async () => {
    const owner = await t.signUp();
    const { secret } = await enrolTotp(owner);
    const [first, second] = await Promise.all([passwordStep(t, owner.user.email), passwordStep(t, owner.user.email)]);
    const code = totpCode(secret, 1);
    const answers = await Promise.all([first.agent.post('/api/v1/auth/login/mfa').send({ code }), second.agent.post('/api/v1/auth/login/mfa').send({ code })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const third = await passwordStep(t, owner.user.email);
    await third.agent.post('/api/v1/auth/login/mfa').send({ code }).expect(401);
    // An older code than the last one accepted is refused too.
    await third.agent.post('/api/v1/auth/login/mfa').send({ code: totpCode(secret) }).expect(401);
  });

  it('takes a recovery code once in place of the app, and tells the owner', async () => {
    const owner = await t.signUp();
    const { recoveryCodes } = await enrolTotp(owner);
    const { agent } = await passwordStep(t, owner.user.email);
    // Typed as people copy them: in capitals, with spaces.
    await agent.post('/api/v1/auth/login/mfa').send({ code: recoveryCodes[3].toUpperCase().replace(/-/g, ' ') }).expect(200);
    const [mail] = await mailsTo(owner.user.email, RECOVERY_USED);
    expect(mail.text).toContain('9 are left');
    expect(await audited(owner.user.id, 'account.recovery_code_used')).toEqual([{ data: { left: 9 } }]);
    const again = await passwordStep(t, owner.user.email);
    const replay = await again.agent.post('/api/v1/auth/login/mfa').send({ code: recoveryCodes[3] }).expect(401);
    expect(replay.body.code).toBe('auth.wrong_code');
    await again.agent.post('/api/v1/auth/login/mfa').send({ code: recoveryCodes[4] }).expect(200);
  });

  it(`refuses codes for a while after ${CODE_FAILURE_LIMIT} wrong ones, even the right one`, async () => {
    const owner = await t.signUp();
    const { secret } = await enrolTotp(owner);
    const { agent } = await passwordStep(t, owner.user.email);
    const right = totpCode(secret, 1);
    const wrong = right === '123456' ? '654321' : '123456';
    for (let n = 0; n < CODE_FAILURE_LIMIT; n += 1) await agent.post('/api/v1/auth/login/mfa').send({ code: wrong }).expect(401);
    const slowed = await agent.post('/api/v1/auth/login/mfa').send({ code: right }).expect(429);
    expect(slowed.body).toMatchObject({ code: 'auth.too_many_codes', message: expect.stringContaining('wait 15 minutes') });
    await agent.get('/api/v1/auth/session').expect(401);
  });

  it('answers a code without a password first with 401', async () => {
    const refused = await request(t.server).post('/api/v1/auth/login/mfa').send({ code: '123456' }).expect(401);
    expect(refused.body).toMatchObject({ code: 'auth.no_pending_sign_in', message: expect.stringContaining('Sign in with your email address and password first') });
  });

  it('removes the authenticator only with the password and a code, and tells the owner', async () => {
    const owner = await t.signUp();
    const { secret } = await enrolTotp(owner);
    const remove = (body: Record<string, unknown>) => owner.agent.delete('/api/v1/auth/mfa/totp').set('X-CSRF-Token', owner.csrf).send(body);
    expect((await remove({ password: PASSWORD }).expect(400)).body.details).toHaveProperty('code');
    expect((await remove({ password: 'not the password at all', code: totpCode(secret, 1) }).expect(400)).body).toMatchObject({ code: 'auth.wrong_password', details: { password: ['The password is wrong'] } });
    expect((await remove({ password: PASSWORD, code: '000000' === totpCode(secret, 1) ? '111111' : '000000' }).expect(401)).body.code).toBe('auth.wrong_code');
    expect(await factorsOf(owner)).toEqual(['totp', 'recovery_code']);
    await remove({ password: PASSWORD, code: totpCode(secret, 1) }).expect(204);
    expect(await factorsOf(owner)).toEqual([]);
    expect(await t.sql(`SELECT 1 FROM recovery_codes WHERE user_id = $1`, [owner.user.id])).toEqual([]);
    expect(await mailsTo(owner.user.email, REMOVED)).toHaveLength(1);
    expect(await audited(owner.user.id, 'account.second_factor_removed')).toEqual([{ data: { method: 'totp' } }]);
    expect((await passwordStep(t, owner.user.email)).body).toMatchObject({ user: { id: owner.user.id } });
    expect((await remove({ password: PASSWORD, code: '123456' }).expect(409)).body.code).toBe('auth.no_second_factor');
  });

  it('renews the recovery codes with a code; the old ones stop working', async () => {
    const owner = await t.signUp();
    const { secret, recoveryCodes } = await enrolTotp(owner);
    const renewed = await owner.agent.post('/api/v1/auth/mfa/recovery-codes').set('X-CSRF-Token', owner.csrf).send({ code: totpCode(secret, 1) }).expect(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    expect(renewed.body.recoveryCodes).not.toContain(recoveryCodes[0]);
    const { agent } = await passwordStep(t, owner.user.email);
    await agent.post('/api/v1/auth/login/mfa').send({ code: recoveryCodes[0] }).expect(401);
    await agent.post('/api/v1/auth/login/mfa').send({ code: renewed.body.recoveryCodes[0] }).expect(200);
    // A second authenticator cannot be started over the first.
    expect((await owner.agent.post('/api/v1/auth/mfa/totp').set('X-CSRF-Token', owner.csrf).expect(409)).body.code).toBe('auth.mfa_already_enrolled');
  });

  it('works through the pages: set up with the QR code, sign in on the second page, remove', async () => {
    const owner = await t.signUp();
    const account = await open(owner.agent, '/account');
    expect(account).toContain('Set up an authenticator app');
    const setup = await postForm(owner.agent, '/account/mfa/totp', { _csrf: csrfFrom(account) }).expect(200);
    expect(setup.text).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]{500,}"/);
    const secret = /Key: <code>([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1].replace(/ /g, '');
    expect(unlabelledControls(setup.text)).toEqual([]);
    const wrong = await postForm(owner.agent, '/account/mfa/totp/confirm', { _csrf: csrfFrom(setup.text), code: '12345x' }).expect(401);
    expect(messageFor(wrong.text, 'code')).toBe('The code does not match the new authenticator');
    expect(wrong.text).toContain(secret.match(/.{1,4}/g)!.join(' '));
    const codes = await postForm(owner.agent, '/account/mfa/totp/confirm', { _csrf: csrfFrom(wrong.text), code: totpCode(secret) }).expect(200);
    expect(codes.text.match(/<li><code>[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}<\/code><\/li>/g)).toHaveLength(10);
    expect(await open(owner.agent, '/account')).toContain('Remove the authenticator app');

    const browser = request.agent(t.server);
    const signIn = await open(browser, '/signin');
    const first = await postForm(browser, '/signin', { _csrf: csrfFrom(signIn), email: owner.user.email, password: PASSWORD, next: '/account' }).expect(303);
    expect(first.headers.location).toBe('/signin/mfa?next=%2Faccount');
    const second = await open(browser, first.headers.location);
    expect(textOf(second)).toContain('Your password was right');
    expect(unlabelledControls(second)).toEqual([]);
    const refused = await postForm(browser, '/signin/mfa', { _csrf: csrfFrom(second), code: '999999' === totpCode(secret, 1) ? '888888' : '999999', next: '/account' }).expect(401);
    expect(messageFor(refused.text, 'code')).toBe('The code is wrong or was used already');
    const done = await postForm(browser, '/signin/mfa', { _csrf: csrfFrom(refused.text), code: totpCode(secret, 1), next: '/account' }).expect(303);
    expect(done.headers.location).toBe('/account');
    const page = await open(browser, '/account');

    await aMinuteLater(t, owner.user.id);
    const badPassword = await postForm(browser, '/account/mfa/totp/remove', { _csrf: csrfFrom(page), password: 'wrong wrong wrong', code: totpCode(secret) }).expect(400);
    expect(messageFor(badPassword.text, 'remove-password')).toBe('The password is wrong');
    await postForm(browser, '/account/mfa/totp/remove', { _csrf: csrfFrom(page), password: PASSWORD, code: totpCode(secret) }).expect(303);
    expect(flashOf(await open(browser, '/account'))).toContain('The authenticator app was removed');
    expect((await passwordStep(t, owner.user.email)).body).toMatchObject({ user: { id: owner.user.id } });
  });
});
