import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { open } from './support/html';
import { enrolTotp, passwordStep, totpCode } from './support/mfa-fixtures';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

const ORIGIN = 'http://localhost:3000';
const ADDED_SUBJECT = 'A passkey was added to your Adhere account';
const REMOVED_SUBJECT = 'A passkey was removed from your Adhere account';

/**
 * Passkeys through the API, answered by a software authenticator that builds real WebAuthn bytes
 * (P-256 signatures, authenticator data, "none" attestation in CBOR): the server's library checks them
 * as it would a phone's. Enrolment, sign-in without a password, step-up, removal with the password and
 * a passkey, and every way an answer must be refused.
 */
describe('passkeys', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ PUBLIC_URL: ORIGIN, SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const deliver = () => t.app.get(NotificationDelivery).deliverDue();
  const mailsTo = (email: string, subject: string) => smtp.received.filter((mail) => mail.recipients.includes(email) && mail.headers.subject === subject);
  const post = (who: { agent: TestAgent; csrf?: string }, path: string, body?: object) => {
    const req = who.agent.post(path);
    return (who.csrf ? req.set('X-CSRF-Token', who.csrf) : req).send(body);
  };

  /** Signs up, then enrols a passkey on `authenticator` as the account page does. */
  async function withPasskey(name = 'Work laptop'): Promise<{ actor: Actor; authenticator: SoftwareAuthenticator; passkeyId: string }> {
    const actor = await t.signUp();
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const options = await post(actor, '/api/v1/auth/passkeys/registration-options').expect(200);
    const enrolled = await post(actor, '/api/v1/auth/passkeys', { name, response: authenticator.create(options.body) }).expect(201);
    return { actor, authenticator, passkeyId: enrolled.body.id };
  }

  /** A browser with no session asks for sign-in options and gives the authenticator's answer. */
  async function signInWith(authenticator: SoftwareAuthenticator, ceremony = {}) {
    const agent = request.agent(t.server);
    const options = await agent.post('/api/v1/auth/login/passkey/options').expect(200);
    const response = authenticator.get(options.body, ceremony);
    return { agent, response, answer: await agent.post('/api/v1/auth/login/passkey').send({ response }) };
  }

  async function stepUpAnswer(who: { agent: TestAgent; csrf: string }, authenticator: SoftwareAuthenticator) {
    const options = await post(who, '/api/v1/auth/step-up/passkey/options').expect(200);
    return authenticator.get(options.body);
  }

  it('enrols a passkey, with user verification required, and tells its owner by e-mail', async () => {
    const actor = await t.signUp();
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const options = await post(actor, '/api/v1/auth/passkeys/registration-options').expect(200);
    expect(options.body).toMatchObject({
      rp: { id: 'localhost', name: 'Adhere' },
      user: { id: Buffer.from(actor.user.id).toString('base64url'), name: actor.user.email },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    const response = authenticator.create(options.body);
    const enrolled = await post(actor, '/api/v1/auth/passkeys', { name: 'Work laptop', response }).expect(201);
    expect(enrolled.body).toEqual({ id: expect.any(String), name: 'Work laptop', transports: ['internal'], createdAt: expect.any(String), lastUsedAt: null });
    expect((await actor.agent.get('/api/v1/auth/passkeys').expect(200)).body).toEqual({ passkeys: [enrolled.body] });

    // The same answer again: its challenge is used up.
    const again = await post(actor, '/api/v1/auth/passkeys', { name: 'Twice', response }).expect(401);
    expect(again.body.code).toBe('passkey.no_challenge');
    // Enrolling again asks the browser to leave out the authenticator that already holds one.
    const second = await post(actor, '/api/v1/auth/passkeys/registration-options').expect(200);
    expect(second.body.excludeCredentials).toEqual([{ id: response.id, type: 'public-key', transports: ['internal'] }]);

    await deliver();
    const [mail] = mailsTo(actor.user.email, ADDED_SUBJECT);
    expect(mail.text).toContain('“Work laptop” was added');
    expect(mail.text).toMatch(/^http:\/\/localhost:3000\/account$/m);
    const audit = await t.sql(`SELECT action, actor_user_id FROM audit_events WHERE target_id = $1`, [enrolled.body.id]);
    expect(audit).toEqual([{ action: 'account.passkey_added', actor_user_id: actor.user.id }]);
  });

  it('refuses a new passkey whose person was not verified, or made for another origin', async () => {
    const actor = await t.signUp();
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    for (const ceremony of [{ userVerified: false }, { origin: 'https://adhere.example.net' }]) {
      const options = await post(actor, '/api/v1/auth/passkeys/registration-options').expect(200);
      const refused = await post(actor, '/api/v1/auth/passkeys', { name: 'Key', response: authenticator.create(options.body, ceremony) }).expect(401);
      expect(refused.body.code).toBe('passkey.rejected');
    }
    expect((await actor.agent.get('/api/v1/auth/passkeys').expect(200)).body.passkeys).toEqual([]);
  });

  it('signs in without a password; the answer cannot be used twice, nor for another challenge', async () => {
    const { actor, authenticator, passkeyId } = await withPasskey();
    const { agent, response, answer } = await signInWith(authenticator);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ user: actor.user });
    const session = (await agent.get('/api/v1/auth/session').expect(200)).body;
    expect(session.user.id).toBe(actor.user.id);

    // The same answer once more, on the same session: its challenge is gone.
    const replayed = await agent.post('/api/v1/auth/login/passkey').set('X-CSRF-Token', session.csrfToken).send({ response }).expect(401);
    expect(replayed.body).toMatchObject({ code: 'passkey.no_challenge', message: expect.stringContaining('Ask for new options') });
    // On a session with a new challenge: the signature covers the old one.
    const stranger = request.agent(t.server);
    await stranger.post('/api/v1/auth/login/passkey/options').expect(200);
    const reused = await stranger.post('/api/v1/auth/login/passkey').send({ response }).expect(401);
    expect(reused.body.code).toBe('passkey.rejected');
    await stranger.get('/api/v1/auth/session').expect(401);

    const [row] = await t.sql<{ sign_count: string; last_used_at: Date | null }>(`SELECT sign_count, last_used_at FROM passkeys WHERE id = $1`, [passkeyId]);
    expect(row.sign_count).toBe('1');
    expect(row.last_used_at).not.toBeNull();
    const audit = await t.sql<{ data: Record<string, unknown> }>(`SELECT data FROM audit_events WHERE action = 'account.signed_in' AND target_id = $1`, [actor.user.id]);
    expect(audit).toEqual([{ data: { method: 'passkey', passkeyId, secondFactor: false } }]);
  });

  it('answers a suspended person’s passkey as an unknown one, records no sign-in, and lets it in again once reactivated', async () => {
    const { actor, authenticator } = await withPasskey();
    await t.sql(`UPDATE users SET suspended_at = now(), suspended_reason = 'a test' WHERE id = $1`, [actor.user.id]);
    const refused = await signInWith(authenticator);
    expect(refused.answer.status).toBe(401);
    expect(refused.answer.body.code).toBe('passkey.unknown_credential');
    await refused.agent.get('/api/v1/auth/session').expect(401);
    expect(await t.sql(`SELECT 1 FROM audit_events WHERE action = 'account.signed_in' AND target_id = $1`, [actor.user.id])).toEqual([]);

    await t.sql(`UPDATE users SET suspended_at = NULL, suspended_reason = NULL WHERE id = $1`, [actor.user.id]);
    expect((await signInWith(authenticator)).answer.status).toBe(200);
  });

  it('refuses an answer from another origin, without user verification, from an unknown passkey, or with a counter gone backwards', async () => {
    const { authenticator } = await withPasskey();
    const wrongOrigin = await signInWith(authenticator, { origin: 'https://phish.example' });
    expect(wrongOrigin.answer.status).toBe(401);
    expect(wrongOrigin.answer.body).toMatchObject({ code: 'passkey.rejected', message: expect.stringContaining('https://phish.example') });

    const unverified = await signInWith(authenticator, { userVerified: false });
    expect(unverified.answer.status).toBe(401);
    expect(unverified.answer.body.code).toBe('passkey.rejected');

    const stranger = new SoftwareAuthenticator(ORIGIN);
    stranger.create({ challenge: 'AAAA', rp: { id: 'localhost', name: 'Adhere' }, user: { id: 'dXNlcg', name: 'x', displayName: 'x' } });
    const unknown = await signInWith(stranger);
    expect(unknown.answer.status).toBe(401);
    expect(unknown.answer.body.code).toBe('passkey.unknown_credential');

    await signInWith(authenticator).then(({ answer }) => expect(answer.status).toBe(200));
    // A copy of the key, made before that sign-in, answers with the counter it had then.
    authenticator.credentials[0].counter -= 1;
    const cloned = await signInWith(authenticator);
    expect(cloned.answer.status).toBe(401);
    expect(cloned.answer.body).toMatchObject({ code: 'passkey.counter_regressed', message: expect.stringContaining('copied') });
    await cloned.agent.get('/api/v1/auth/session').expect(401);
  });

  it('completes a sign-in whose password was right as its second factor, with that person’s passkey only', async () => {
    const alice = await withPasskey();
    const bob = await withPasskey();
    // The password alone signs nobody in: the answer names the passkey as the factor still owed.
    const { agent, body } = await passwordStep(t, alice.actor.user.email);
    expect(body).toEqual({ mfaRequired: true, methods: ['passkey'] });
    await agent.get('/api/v1/auth/session').expect(401);
    const before = Date.now();

    const options = await agent.post('/api/v1/auth/login/passkey/options').expect(200);
    expect(options.body.allowCredentials).toEqual([{ id: alice.authenticator.credentials[0].id.toString('base64url'), type: 'public-key', transports: ['internal'] }]);
    // Bob's passkey, offered anyway (a discoverable credential ignores the list): not Alice's second factor.
    const bobs = await agent.post('/api/v1/auth/login/passkey').send({ response: bob.authenticator.get({ ...options.body, allowCredentials: [] }) }).expect(401);
    expect(bobs.body).toMatchObject({ code: 'passkey.unknown_credential', message: 'This passkey is not one of the passkeys of your account.' });
    await agent.get('/api/v1/auth/session').expect(401);
    // A code is no factor of hers: she has no authenticator app.
    expect((await agent.post('/api/v1/auth/login/mfa').send({ code: '123456' }).expect(401)).body.code).toBe('auth.wrong_code');

    const again = await agent.post('/api/v1/auth/login/passkey/options').expect(200);
    const signedIn = await agent.post('/api/v1/auth/login/passkey').send({ response: alice.authenticator.get(again.body) }).expect(200);
    expect(signedIn.body).toEqual({ user: alice.actor.user });
    expect((await agent.get('/api/v1/auth/session').expect(200)).body.user.id).toBe(alice.actor.user.id);
    const [session] = await t.sql<{ sess: { pendingSignIn?: unknown; secondFactorAt?: number } }>(`SELECT sess FROM sessions WHERE sess -> 'passport' ->> 'user' = $1 ORDER BY expire DESC LIMIT 1`, [alice.actor.user.id]);
    expect(session.sess.pendingSignIn).toBeUndefined();
    expect(session.sess.secondFactorAt).toBeGreaterThanOrEqual(before);
    const audit = await t.sql<{ data: Record<string, unknown> }>(`SELECT data FROM audit_events WHERE action = 'account.signed_in' AND target_id = $1 AND data ->> 'method' = 'passkey'`, [alice.actor.user.id]);
    expect(audit).toEqual([{ data: { method: 'passkey', passkeyId: alice.passkeyId, secondFactor: true } }]);
  });

  it('lets a person with an authenticator app and a passkey complete a sign-in with either', async () => {
    const { actor, authenticator } = await withPasskey();
    const { secret } = await enrolTotp(actor);
    expect((await passwordStep(t, actor.user.email)).body).toEqual({ mfaRequired: true, methods: ['totp', 'passkey', 'recovery_code'] });

    const withCode = await passwordStep(t, actor.user.email);
    await withCode.agent.post('/api/v1/auth/login/mfa').send({ code: totpCode(secret, 1) }).expect(200);
    expect((await withCode.agent.get('/api/v1/auth/session').expect(200)).body.user.id).toBe(actor.user.id);

    const byPasskey = await passwordStep(t, actor.user.email);
    const options = await byPasskey.agent.post('/api/v1/auth/login/passkey/options').expect(200);
    await byPasskey.agent.post('/api/v1/auth/login/passkey').send({ response: authenticator.get(options.body) }).expect(200);
    expect((await byPasskey.agent.get('/api/v1/auth/session').expect(200)).body.user.id).toBe(actor.user.id);

    // The sign-in's second page offers both.
    const page = await open((await passwordStep(t, actor.user.email)).agent, '/signin/mfa');
    expect(page).toContain('Code from your authenticator app, or a recovery code');
    expect(page).toContain('Confirm with a passkey');
    expect(page).toContain('<script src="/assets/passkeys.js" defer></script>');
  });

  it('proves a passkey again for a step-up, with the person’s own passkeys only', async () => {
    const alice = await withPasskey();
    const bob = await withPasskey();
    const options = await post(alice.actor, '/api/v1/auth/step-up/passkey/options').expect(200);
    expect(options.body.allowCredentials).toEqual([{ id: alice.authenticator.credentials[0].id.toString('base64url'), type: 'public-key', transports: ['internal'] }]);
    expect(options.body.userVerification).toBe('required');
    await post(alice.actor, '/api/v1/auth/step-up/passkey', { response: alice.authenticator.get(options.body) }).expect(204);

    // Bob's passkey answering Alice's step-up challenge.
    const forAlice = await post(alice.actor, '/api/v1/auth/step-up/passkey/options').expect(200);
    const bobs = bob.authenticator.get({ ...forAlice.body, allowCredentials: [] });
    expect((await post(alice.actor, '/api/v1/auth/step-up/passkey', { response: bobs }).expect(401)).body.code).toBe('passkey.unknown_credential');
    // A step-up challenge does not sign anyone in.
    const stepUp = await post(bob.actor, '/api/v1/auth/step-up/passkey/options').expect(200);
    expect((await post(bob.actor, '/api/v1/auth/login/passkey', { response: bob.authenticator.get(stepUp.body) }).expect(401)).body.code).toBe('passkey.no_challenge');

    const without = await t.signUp();
    expect((await post(without, '/api/v1/auth/step-up/passkey/options').expect(409)).body.code).toBe('passkey.none_enrolled');
  });

  it('removes a passkey only with the password and a passkey proved now; another person’s is a 404', async () => {
    const alice = await withPasskey('Phone');
    const bob = await withPasskey();
    const listed = async () => (await alice.actor.agent.get('/api/v1/auth/passkeys').expect(200)).body.passkeys.map((passkey: { id: string }) => passkey.id);
    const remove = (who: Actor, id: string, body: object) => who.agent.delete(`/api/v1/auth/passkeys/${id}`).set('X-CSRF-Token', who.csrf).send(body);

    const bobTries = await remove(bob.actor, alice.passkeyId, { password: PASSWORD, response: await stepUpAnswer(bob.actor, bob.authenticator) }).expect(404);
    expect(bobTries.body.code).toBe('passkey.not_found');
    expect((await remove(alice.actor, 'not-an-id', { password: PASSWORD, response: await stepUpAnswer(alice.actor, alice.authenticator) }).expect(404)).body.code).toBe('passkey.not_found');

    const wrongPassword = await remove(alice.actor, alice.passkeyId, { password: 'not the password', response: await stepUpAnswer(alice.actor, alice.authenticator) }).expect(400);
    expect(wrongPassword.body).toMatchObject({ code: 'auth.wrong_password', details: { password: ['The password is wrong'] } });
    const noFactor = await remove(alice.actor, alice.passkeyId, { password: PASSWORD }).expect(400);
    expect(noFactor.body).toMatchObject({ code: 'request.invalid', details: { code: [expect.stringContaining('Give one second factor')], response: [expect.stringContaining('Give one second factor')] } });
    const both = await remove(alice.actor, alice.passkeyId, { password: PASSWORD, code: '123456', response: await stepUpAnswer(alice.actor, alice.authenticator) }).expect(400);
    expect(both.body.details.code).toEqual(['Give either a code or a passkey’s answer, not both']);
    // An answer given earlier, whose challenge is gone, is no factor now.
    const stale = await stepUpAnswer(alice.actor, alice.authenticator);
    await post(alice.actor, '/api/v1/auth/step-up/passkey', { response: stale }).expect(204);
    expect((await remove(alice.actor, alice.passkeyId, { password: PASSWORD, response: stale }).expect(401)).body.code).toBe('passkey.no_challenge');
    expect(await listed()).toEqual([alice.passkeyId]);

    await remove(alice.actor, alice.passkeyId, { password: PASSWORD, response: await stepUpAnswer(alice.actor, alice.authenticator) }).expect(204);
    expect(await listed()).toEqual([]);
    expect((await signInWith(alice.authenticator)).answer.body.code).toBe('passkey.unknown_credential');
    await deliver();
    const [mail] = mailsTo(alice.actor.user.email, REMOVED_SUBJECT);
    expect(mail.text).toContain('“Phone” was removed');
    const audit = await t.sql(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id`, [alice.passkeyId]);
    expect(audit).toEqual([{ action: 'account.passkey_added' }, { action: 'account.passkey_removed' }]);
  });

  it('removes a passkey with the password and a code from the authenticator app, and the app with a passkey', async () => {
    const { actor, authenticator, passkeyId } = await withPasskey('Old phone');
    const { secret } = await enrolTotp(actor);
    const wrong = await actor.agent.delete(`/api/v1/auth/passkeys/${passkeyId}`).set('X-CSRF-Token', actor.csrf).send({ password: PASSWORD, code: '000000' }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'auth.wrong_code', details: { code: ['The code is wrong or was used already'] } });
    expect((await actor.agent.get('/api/v1/auth/passkeys').expect(200)).body.passkeys).toHaveLength(1);
    await actor.agent.delete(`/api/v1/auth/passkeys/${passkeyId}`).set('X-CSRF-Token', actor.csrf).send({ password: PASSWORD, code: totpCode(secret, 1) }).expect(204);
    expect((await actor.agent.get('/api/v1/auth/passkeys').expect(200)).body.passkeys).toEqual([]);
    const audit = await t.sql(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id`, [passkeyId]);
    expect(audit).toEqual([{ action: 'account.passkey_added' }, { action: 'account.passkey_removed' }]);

    // The other way round: a new passkey proves the removal of the authenticator app.
    const options = await post(actor, '/api/v1/auth/passkeys/registration-options').expect(200);
    await post(actor, '/api/v1/auth/passkeys', { name: 'New phone', response: authenticator.create(options.body) }).expect(201);
    const stepUp = await post(actor, '/api/v1/auth/step-up/passkey/options').expect(200);
    await actor.agent.delete('/api/v1/auth/mfa/totp').set('X-CSRF-Token', actor.csrf).send({ password: PASSWORD, response: authenticator.get(stepUp.body) }).expect(204);
    expect((await passwordStep(t, actor.user.email)).body).toEqual({ mfaRequired: true, methods: ['passkey'] });
  });

  it('shows the passkeys on the account page and offers a passkey on the sign-in page, with the browser half served alongside', async () => {
    const { actor } = await withPasskey('Blue security key');
    const account = await open(actor.agent, '/account');
    expect(account).toContain('<h2 id="passkeys-heading">Passkeys</h2>');
    expect(account).toContain('<td>Blue security key</td>');
    expect(account).toContain(`data-csrf="${actor.csrf}"`);
    const signIn = await open(request.agent(t.server), '/signin');
    expect(signIn).toContain('Sign in with a passkey');
    expect(signIn).toContain('<script src="/assets/passkeys.js" defer></script>');
    for (const asset of ['/assets/webauthn/index.umd.min.js', '/assets/passkeys.js']) {
      const served = await request(t.server).get(asset).expect(200);
      expect(served.headers['content-type']).toMatch(/javascript/);
    }
  });
});
