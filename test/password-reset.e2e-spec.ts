import { createHash } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { RESETS_PER_ADDRESS, RESETS_PER_CLIENT } from '../src/auth/password-reset-limits';
import { RESET_DONE, RESET_LINK_GONE, RESET_REQUESTED } from '../src/auth/password-reset.service';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { OPERATOR, OPERATOR_ENV } from './support/assessment-fixtures';
import { csrfFrom, flashOf, messageFor, open, postForm, textOf } from './support/html';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, PASSWORD, TestApp } from './support/test-app';

const RESET_SUBJECT = 'Choose a new password for your Adhere account';
const CHANGED_SUBJECT = 'Your Adhere password was changed';
const NEW_PASSWORD = 'a brand new passphrase, long enough';
/** Networks, as the load balancer in front reports them (X-Forwarded-For, trusted from the loopback). */
let nextNetwork = 0;
const network = () => `198.51.100.${(nextNetwork += 1)}`;

/**
 * Password reset as a person meets it: ask for a link, read it in the mail, set a new password; the old
 * one stops working and every session of the account ends. Nothing tells whether an address has an
 * account, a link works once and for 30 minutes, and requests are limited per address and per network.
 */
describe('password reset', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ ...OPERATOR_ENV, SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const deliver = () => t.app.get(NotificationDelivery).deliverDue();
  const mailsTo = (email: string, subject: string) => smtp.received.filter((mail) => mail.recipients.includes(email) && mail.headers.subject === subject);
  const ask = (email: string, from = network()) => request(t.server).post('/api/v1/auth/password-reset').set('X-Forwarded-For', from).send({ email });
  const login = (email: string, password: string) => request(t.server).post('/api/v1/auth/login').set('X-Forwarded-For', network()).send({ email, password });
  /** The token of the newest reset mail to `email`, read from the link on its own line. */
  const linkIn = async (email: string): Promise<{ url: string; token: string }> => {
    await deliver();
    const mails = mailsTo(email, RESET_SUBJECT);
    expect(mails.length).toBeGreaterThan(0);
    const match = /^(https?:\/\/[^\s/]+\/reset-password\/([A-Za-z0-9_-]+))$/m.exec(mails[mails.length - 1].text);
    expect(match).not.toBeNull();
    return { url: match![1], token: match![2] };
  };
  const reset = (token: string, password = NEW_PASSWORD) => request(t.server).post(`/api/v1/auth/password-reset/${token}`).send({ password });

  it('mails a single-use link that sets a new password, ends every session and tells the owner', async () => {
    const owner = await t.signUp();
    const elsewhere = await t.signIn(owner.user.email);
    await elsewhere.agent.get('/api/v1/auth/session').expect(200);

    const asked = await ask(owner.user.email).expect(202);
    expect(asked.body).toEqual({ message: RESET_REQUESTED });
    const { url, token } = await linkIn(owner.user.email);
    expect(new URL(url).pathname).toBe(`/reset-password/${token}`);
    expect(token.length).toBeGreaterThanOrEqual(22); // 128 bits and more, in base64url
    const [stored] = await t.sql<{ token_hash: string; minutes: number }>(
      `SELECT token_hash, round(extract(epoch FROM expires_at - created_at) / 60)::int AS minutes FROM password_resets WHERE user_id = $1`,
      [owner.user.id],
    );
    expect(stored.minutes).toBe(30);
    expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    const done = await reset(token).expect(200);
    expect(done.body).toEqual({ message: RESET_DONE });
    await login(owner.user.email, PASSWORD).expect(401);
    await login(owner.user.email, NEW_PASSWORD).expect(200);
    await owner.agent.get('/api/v1/auth/session').expect(401);
    await elsewhere.agent.get('/api/v1/auth/session').expect(401);

    await deliver();
    const [changed] = mailsTo(owner.user.email, CHANGED_SUBJECT);
    expect(changed.text).toContain('was changed through a reset link');
    expect(changed.text).toMatch(/^https?:\/\/\S+\/forgot-password$/m);
    // The operator's view of the outbox shows that a link went out, never the link itself.
    const outbox = await open((await t.signIn(OPERATOR.email, OPERATOR.password)).agent, '/operator/notifications');
    expect(outbox).toContain(RESET_SUBJECT);
    expect(outbox).toContain('/reset-password/…');
    expect(outbox).not.toContain(token);
    const audit = await t.sql<{ action: string; actor_user_id: string }>(`SELECT action, actor_user_id FROM audit_events WHERE target_id = $1 AND action = 'account.password_reset'`, [owner.user.id]);
    expect(audit).toEqual([{ action: 'account.password_reset', actor_user_id: owner.user.id }]);
  });

  it('answers an unknown address exactly as a known one, and mails nobody', async () => {
    const owner = await t.signUp();
    const known = await ask(owner.user.email);
    const unknown = await ask('nobody-has-this@example.org');
    const seen = (response: request.Response) => ({ status: response.status, body: response.body, type: response.headers['content-type'], length: response.headers['content-length'], cookie: response.headers['set-cookie'] });
    expect(seen(unknown)).toEqual(seen(known));
    await deliver();
    expect(smtp.received.filter((mail) => mail.recipients.includes('nobody-has-this@example.org'))).toEqual([]);
  });

  it('refuses a used link with 410, also when two uses race', async () => {
    const owner = await t.signUp();
    await ask(owner.user.email).expect(202);
    const { token } = await linkIn(owner.user.email);
    const [first, second] = await Promise.all([reset(token, `${NEW_PASSWORD} one`), reset(token, `${NEW_PASSWORD} two`)]);
    expect([first.status, second.status].sort()).toEqual([200, 410]);
    const replay = await reset(token).expect(410);
    expect(replay.body).toMatchObject({ code: 'auth.reset_link_expired', message: RESET_LINK_GONE });
    expect(replay.body.message).toContain('/forgot-password');
    const winner = first.status === 200 ? `${NEW_PASSWORD} one` : `${NEW_PASSWORD} two`;
    await login(owner.user.email, winner).expect(200);
  });

  it('refuses an expired link and an unknown one with 410, and the password stays', async () => {
    const owner = await t.signUp();
    await ask(owner.user.email).expect(202);
    const { token } = await linkIn(owner.user.email);
    await t.sql(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [owner.user.id]);
    expect((await reset(token).expect(410)).body.code).toBe('auth.reset_link_expired');
    expect((await reset('not-a-link-we-sent').expect(410)).body.code).toBe('auth.reset_link_expired');
    await login(owner.user.email, PASSWORD).expect(200);
  });

  it('checks the new password as sign-up does, before it spends the link', async () => {
    const owner = await t.signUp();
    await ask(owner.user.email).expect(202);
    const { token } = await linkIn(owner.user.email);
    const short = await reset(token, 'too short').expect(400);
    expect(short.body.details).toEqual({ password: ['password must be at least 12 characters long'] });
    await reset(token).expect(200);
  });

  it('lifts a pause on sign-in once the password is reset', async () => {
    const owner = await t.signUp();
    await t.sql(`INSERT INTO sign_in_throttles (user_id, network, failures, last_failure_at, blocked_until) VALUES ($1, '*', 9, now(), now() + interval '1 hour')`, [owner.user.id]);
    await ask(owner.user.email).expect(202);
    await reset((await linkIn(owner.user.email)).token).expect(200);
    expect(await t.sql(`SELECT failures, blocked_until FROM sign_in_throttles WHERE user_id = $1`, [owner.user.id])).toEqual([{ failures: 0, blocked_until: null }]);
    await login(owner.user.email, NEW_PASSWORD).expect(200);
  });

  it(`sends one address at most ${RESETS_PER_ADDRESS} links an hour, answering alike, and refuses a network past ${RESETS_PER_CLIENT} requests with 429`, async () => {
    const owner = await t.signUp();
    for (let n = 0; n < RESETS_PER_ADDRESS + 2; n += 1) expect((await ask(owner.user.email).expect(202)).body).toEqual({ message: RESET_REQUESTED });
    await deliver();
    expect(mailsTo(owner.user.email, RESET_SUBJECT)).toHaveLength(RESETS_PER_ADDRESS);

    const crowded = network();
    for (let n = 0; n < RESETS_PER_CLIENT; n += 1) await ask(`someone-${n}@example.org`, crowded).expect(202);
    const refused = await ask(owner.user.email, crowded).expect(429);
    expect(refused.body).toMatchObject({ code: 'auth.too_many_resets', message: expect.stringContaining('wait an hour') });
    // Another network is not slowed by that one.
    await ask('someone-else@example.org').expect(202);
  });

  it('works through the pages: the link on the sign-in page, the form, the mail, the new password', async () => {
    const owner = await t.signUp();
    const browser: TestAgent = request.agent(t.server);
    const signIn = await open(browser, '/signin');
    expect(signIn).toContain('<a href="/forgot-password">Forgot your password?</a>');

    const forgot = await open(browser, '/forgot-password');
    await postForm(browser, '/forgot-password', { _csrf: csrfFrom(forgot), email: 'not an address' }).expect(400);
    const sent = await postForm(browser, '/forgot-password', { _csrf: csrfFrom(forgot), email: owner.user.email }).set('X-Forwarded-For', network()).expect(303);
    expect(sent.headers.location).toBe('/forgot-password');
    expect(flashOf(await open(browser, '/forgot-password'))).toBe(RESET_REQUESTED);

    const { url } = await linkIn(owner.user.email);
    const path = new URL(url).pathname;
    const page = await open(browser, path);
    const mismatch = await postForm(browser, path, { _csrf: csrfFrom(page), password: NEW_PASSWORD, confirmation: `${NEW_PASSWORD}!` }).expect(400);
    expect(messageFor(mismatch.text, 'confirmation')).toBe('confirmation must repeat the new password exactly');
    await postForm(browser, path, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD }).expect(403);
    const done = await postForm(browser, path, { _csrf: csrfFrom(page), password: NEW_PASSWORD, confirmation: NEW_PASSWORD }).expect(303);
    expect(done.headers.location).toBe('/signin');
    expect(flashOf(await open(browser, '/signin'))).toBe(RESET_DONE);
    await login(owner.user.email, NEW_PASSWORD).expect(200);

    const gone = await open(browser, path, 410);
    expect(textOf(gone)).toContain(RESET_LINK_GONE);
  });
});
