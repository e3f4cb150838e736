import request from 'supertest';
import { CLIENT_FAILURE_LIMIT, SIGN_IN_REFUSED } from '../src/auth/sign-in.service';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { csrfFrom, open, textOf } from './support/html';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

// Password checks are real Argon2id: the package's own export object is where every check goes through.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const argon2 = require('@node-rs/argon2') as { verify: (...args: unknown[]) => Promise<boolean> };

const MAX_FAILURES = 3;
const LOCK_MINUTES = 10;
const SUBJECT = 'Repeated wrong passwords for your Adhere account';
/** Networks, as the load balancer in front reports them (X-Forwarded-For, trusted from the loopback). */
let nextNetwork = 0;
const network = () => `203.0.113.${(nextNetwork += 1)}`;

/**
 * Sign-in guessing, braked per account and per network so that neither tells who has an account nor
 * lets anyone who knows an address keep its owner out: an unknown address, a wrong password and a
 * paused account answer alike; guesses from networks the account has not signed in from pause those
 * networks only; the owner is told by e-mail.
 */
describe('sign-in brakes', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCK_MINUTES: String(LOCK_MINUTES), SMTP_URL: smtp.url, NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const login = (email: string, password: string, from: string) => request(t.server).post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });
  const wrongTimes = async (email: string, from: string, times: number) => {
    for (let attempt = 0; attempt < times; attempt += 1) await login(email, 'not the password at all', from).expect(401);
  };
  /** An account whose owner has signed in once from `home`, which makes it a network of theirs. */
  const ownerAt = async (home: string): Promise<Actor> => {
    const owner = await t.signUp();
    await login(owner.user.email, PASSWORD, home).expect(200);
    return owner;
  };
  const run = async (userId: string) =>
    t.sql<{ failures: number; waitSeconds: number | null }>(
      `SELECT failures, round(extract(epoch FROM blocked_until - last_failure_at))::int AS "waitSeconds" FROM sign_in_throttles WHERE user_id = $1 AND network = '*'`,
      [userId],
    );
  /** Moves a run's last failure and its pause into the past, as if the pause had passed. */
  const endWaits = (userId: string) =>
    t.sql(`UPDATE sign_in_throttles SET last_failure_at = last_failure_at - (blocked_until - now()) - interval '1 second', blocked_until = now() - interval '1 second' WHERE user_id = $1 AND blocked_until IS NOT NULL`, [userId]);
  const mailsTo = (email: string) => smtp.received.filter((mail) => mail.recipients.includes(email) && mail.headers.subject === SUBJECT);
  const deliver = () => t.app.get(NotificationDelivery).deliverDue();

  it('answers an unknown address, a wrong password and a paused account alike, field by field, each after one password check', async () => {
    const owner = await ownerAt(network());
    const attacker = network();
    await wrongTimes(owner.user.email, attacker, MAX_FAILURES);
    const verify = jest.spyOn(argon2, 'verify');
    try {
      const answers = {
        unknownAddress: await login('nobody-here@example.org', PASSWORD, network()),
        wrongPassword: await login((await t.signUp()).user.email, 'not the password at all', network()),
        // The right password, on an account paused for the attacker's networks.
        pausedAccount: await login(owner.user.email, PASSWORD, attacker),
      };
      expect(verify).toHaveBeenCalledTimes(3);
      const seen = Object.fromEntries(
        Object.entries(answers).map(([name, response]) => [
          name,
          {
            status: response.status,
            body: response.body,
            contentType: response.headers['content-type'],
            cacheControl: response.headers['cache-control'],
            retryAfter: response.headers['retry-after'],
            setCookie: response.headers['set-cookie'],
            wwwAuthenticate: response.headers['www-authenticate'],
            length: response.headers['content-length'],
          },
        ]),
      );
      const expected = { status: 401, body: { statusCode: 401, code: 'auth.bad_credentials', error: 'Unauthorized', message: SIGN_IN_REFUSED }, contentType: 'application/json; charset=utf-8', cacheControl: undefined, retryAfter: undefined, setCookie: undefined, wwwAuthenticate: undefined, length: seen.unknownAddress.length };
      expect(seen).toEqual({ unknownAddress: expected, wrongPassword: expected, pausedAccount: expected });
    } finally {
      verify.mockRestore();
    }
  });

  it('shows the sign-in page the same for all three', async () => {
    const owner = await ownerAt(network());
    const attacker = network();
    await wrongTimes(owner.user.email, attacker, MAX_FAILURES);
    const page = async (email: string, password: string, from: string) => {
      const agent = request.agent(t.server);
      const token = csrfFrom(await open(agent, '/signin'));
      const response = await agent.post('/signin').set('X-Forwarded-For', from).type('form').send(`_csrf=${token}&email=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`);
      return { status: response.status, text: textOf(response.text).replace(email, '<email>') };
    };
    const paused = await page(owner.user.email, PASSWORD, attacker);
    expect(paused.status).toBe(401);
    expect(paused.text).toContain(SIGN_IN_REFUSED);
    expect(await page('nobody-here@example.org', PASSWORD, network())).toEqual(paused);
    expect(await page(owner.user.email, 'not the password at all', network())).toEqual(paused);
  });

  it('pauses guessing from other networks, not the owner at their own, and e-mails the owner once', async () => {
    const home = network();
    const owner = await ownerAt(home);
    const attacker = network();
    await wrongTimes(owner.user.email, attacker, MAX_FAILURES);
    expect(await run(owner.user.id)).toEqual([{ failures: MAX_FAILURES, waitSeconds: 60 }]);

    // The attacker, even with the right password, and any other network the owner has not used: paused.
    await login(owner.user.email, PASSWORD, attacker).expect(401);
    await login(owner.user.email, PASSWORD, network()).expect(401);
    // The owner at home: as usual.
    await login(owner.user.email, PASSWORD, home).expect(200);
    // Guesses during a pause are not checked against the account, and do not lengthen it.
    await wrongTimes(owner.user.email, attacker, 2);
    expect(await run(owner.user.id)).toEqual([{ failures: MAX_FAILURES, waitSeconds: 60 }]);

    await deliver();
    await wrongTimes(owner.user.email, attacker, 1);
    await deliver();
    const mails = mailsTo(owner.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain(`wrong password for your Adhere account ${MAX_FAILURES} times in a row, from networks you have not signed in from lately`);
    expect(mails[0].text).toContain('you can still sign in as usual');
    expect(mails[0].text).toContain('/account');
    const [notice] = await t.sql<{ organization_id: string | null; status: string }>(`SELECT organization_id, status FROM notifications WHERE event = 'account_locked' AND $1 = ANY (user_ids)`, [owner.user.id]);
    expect(notice).toEqual({ organization_id: null, status: 'sent' });
  });

  it('doubles the pause with each failure once it has passed, up to LOGIN_LOCK_MINUTES, and lets the right password in after it', async () => {
    const owner = await ownerAt(network());
    const attacker = network();
    await wrongTimes(owner.user.email, attacker, MAX_FAILURES);
    const waits: number[] = [];
    for (let failure = 0; failure < 5; failure += 1) {
      await endWaits(owner.user.id);
      await wrongTimes(owner.user.email, attacker, 1);
      waits.push((await run(owner.user.id))[0].waitSeconds!);
    }
    expect(waits).toEqual([120, 240, 480, LOCK_MINUTES * 60, LOCK_MINUTES * 60]);

    await endWaits(owner.user.id);
    await login(owner.user.email, PASSWORD, network()).expect(200);
    expect(await t.sql(`SELECT 1 FROM sign_in_throttles WHERE user_id = $1 AND network = '*'`, [owner.user.id])).toEqual([]);
  });

  it('checks one guess at a time on an account: guesses sent at once count as if sent in turn', async () => {
    const owner = await ownerAt(network());
    const attacker = network();
    const answers = await Promise.all(Array.from({ length: 8 }, () => login(owner.user.email, PASSWORD.toUpperCase(), attacker)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(401));
    expect(await run(owner.user.id)).toEqual([{ failures: MAX_FAILURES, waitSeconds: 60 }]);
  });

  it('keeps a run of its own for each network the owner signed in from: guessing there does not pause the owner elsewhere', async () => {
    const office = network();
    const owner = await ownerAt(office);
    // Someone at the owner's office guesses: the office network pauses, every other network does not.
    await wrongTimes(owner.user.email, office, MAX_FAILURES);
    await login(owner.user.email, PASSWORD, office).expect(401);
    await login(owner.user.email, PASSWORD, network()).expect(200);
    await deliver();
    expect(mailsTo(owner.user.email).map((mail) => mail.text.includes('from a network where you have signed in before'))).toEqual([true]);
  });

  it(`refuses a network after ${CLIENT_FAILURE_LIMIT} failures with 429, whoever it guessed, while the owner signs in from elsewhere`, async () => {
    const home = network();
    const owner = await ownerAt(home);
    const attacker = network();
    for (let attempt = 0; attempt < CLIENT_FAILURE_LIMIT; attempt += 1) await login(`guess-${attempt}@example.org`, 'guess guess guess', attacker).expect(401);
    const refused = await login(owner.user.email, PASSWORD, attacker).expect(429);
    expect(refused.headers['retry-after']).toBeDefined();
    await login(owner.user.email, PASSWORD, home).expect(200);
    await login(owner.user.email, PASSWORD, network()).expect(200);
  });

  it('keeps client networks only as keyed hashes', async () => {
    const from = network();
    await ownerAt(from);
    const stored = JSON.stringify(await t.sql(`SELECT * FROM sign_in_throttles`)) + JSON.stringify(await t.sql(`SELECT client FROM sign_in_attempts`));
    expect(stored).not.toContain(from);
  });
});
