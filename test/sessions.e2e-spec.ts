import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { csrfFrom, flashOf, open, postForm, textOf, unlabelledControls } from './support/html';
import { createTestApp, PASSWORD, TestApp } from './support/test-app';

const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_ON_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
/** An address in the United Kingdom, as the load balancer in front reports it (trusted from the loopback). */
const LONDON = '81.2.69.160';
const HOUR = 3_600_000;

interface Browser {
  agent: TestAgent;
  userAgent: string;
  forwardedFor?: string;
}

/**
 * Sessions as their owner sees them: each browser signed in shows its device, country, start and last
 * use, and can be signed out from another; idle and absolute limits end them whatever the activity.
 */
describe('sessions people can see', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  /** A browser: every request carries its User-Agent, and its address when it is not the loopback. */
  const call = (browser: Browser, method: 'get' | 'post' | 'delete', url: string) => {
    const test = browser.agent[method](url).set('User-Agent', browser.userAgent);
    return browser.forwardedFor ? test.set('X-Forwarded-For', browser.forwardedFor) : test;
  };
  const signInWith = async (email: string, userAgent: string, forwardedFor?: string): Promise<Browser & { csrf: string }> => {
    const browser = { agent: request.agent(t.server), userAgent, forwardedFor };
    await call(browser, 'post', '/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    const session = await call(browser, 'get', '/api/v1/auth/session').expect(200);
    return { ...browser, csrf: session.body.csrfToken as string };
  };
  const signedIn = async (browser: Browser) => (await call(browser, 'get', '/api/v1/auth/session')).status === 200;
  const sessionsOf = async (browser: Browser) => (await call(browser, 'get', '/api/v1/auth/sessions').expect(200)).body as Array<Record<string, unknown>>;
  /** Moves a stored session's clock back, as if time had passed: `field` of its activity, `ms` ago. */
  const backdate = (userId: string, device: string, field: 'lastSeenAt' | 'startedAt', ms: number) =>
    t.sql(
      `UPDATE sessions SET sess = jsonb_set(sess::jsonb, ARRAY['activity', $3], to_jsonb($4::bigint))::json
        WHERE sess -> 'passport' ->> 'user' = $1 AND sess -> 'activity' ->> 'device' = $2`,
      [userId, device, field, Date.now() - ms],
    );

  it('lists both browsers with device, country, times and which is this one, and ends the other', async () => {
    const owner = await t.signUp();
    const windows = await signInWith(owner.user.email, FIREFOX_ON_WINDOWS, LONDON);
    const mac = await signInWith(owner.user.email, CHROME_ON_MAC);
    await owner.agent.post('/api/v1/auth/logout').set('X-CSRF-Token', owner.csrf).expect(204);

    const listed = await sessionsOf(windows);
    expect(listed).toHaveLength(2);
    const [here, there] = listed;
    expect(here).toMatchObject({ device: 'Firefox on Windows', place: 'United Kingdom', current: true });
    expect(there).toMatchObject({ device: 'Chrome on Mac OS', place: 'local network', current: false });
    for (const session of listed) {
      expect(Date.now() - Date.parse(session.startedAt as string)).toBeLessThan(60_000);
      expect(Date.parse(session.lastSeenAt as string)).toBeGreaterThanOrEqual(Date.parse(session.startedAt as string));
    }
    // The id stands for a session without being its id, which is the cookie's value.
    const sids = (await t.sql<{ sid: string }>(`SELECT sid FROM sessions WHERE sess -> 'passport' ->> 'user' = $1`, [owner.user.id])).map((row) => row.sid);
    expect(sids).toHaveLength(2);
    for (const session of listed) expect(sids.some((sid) => sid.includes(session.id as string) || (session.id as string).includes(sid))).toBe(false);
    expect((await sessionsOf(mac)).map((session) => [session.id, session.current])).toEqual([
      [there.id, true],
      [here.id, false],
    ]);

    await call(windows, 'delete', `/api/v1/auth/sessions/${there.id as string}`).set('X-CSRF-Token', windows.csrf).expect(204);
    expect(await signedIn(mac)).toBe(false);
    expect(await signedIn(windows)).toBe(true);
    expect((await sessionsOf(windows)).map((session) => session.id)).toEqual([here.id]);
    await call(windows, 'delete', `/api/v1/auth/sessions/${there.id as string}`).set('X-CSRF-Token', windows.csrf).expect(404);
  });

  it('signs out everywhere else, and keeps this one', async () => {
    const owner = await t.signUp();
    const others = [await signInWith(owner.user.email, CHROME_ON_MAC), await signInWith(owner.user.email, FIREFOX_ON_WINDOWS, LONDON)];
    const here = await signInWith(owner.user.email, FIREFOX_ON_WINDOWS);
    expect(await sessionsOf(here)).toHaveLength(4);

    await call(here, 'post', '/api/v1/auth/sessions/end-others').set('X-CSRF-Token', here.csrf).expect(204);
    for (const other of [...others, { agent: owner.agent, userAgent: 'node-superagent' }]) expect(await signedIn(other)).toBe(false);
    expect(await sessionsOf(here)).toEqual([expect.objectContaining({ current: true, device: 'Firefox on Windows' })]);
    const [audited] = await t.sql<{ count: number }>(`SELECT count(*)::int AS count FROM audit_events WHERE action = 'account.other_sessions_ended' AND target_id = $1`, [owner.user.id]);
    expect(audited.count).toBe(1);
  });

  it("answers 404 for another person's session, and leaves it alone", async () => {
    const victim = await t.signUp();
    const [victimSession] = await sessionsOf({ agent: victim.agent, userAgent: 'node-superagent' });
    const intruder = await t.signUp();
    await intruder.agent.delete(`/api/v1/auth/sessions/${victimSession.id as string}`).set('X-CSRF-Token', intruder.csrf).expect(404);
    const wrong = await intruder.agent.delete('/api/v1/auth/sessions/not-a-session').set('X-CSRF-Token', intruder.csrf).expect(404);
    expect(wrong.body.code).toBe('auth.session_not_found');
    await postForm(intruder.agent, `/account/sessions/${victimSession.id as string}/end`, { _csrf: intruder.csrf }).expect(404);
    expect(await signedIn({ agent: victim.agent, userAgent: 'node-superagent' })).toBe(true);
  });

  it('ends a session idle for 12 hours, and one started 30 days ago however busy', async () => {
    const owner = await t.signUp();
    const idle = await signInWith(owner.user.email, CHROME_ON_MAC);
    const busy = await signInWith(owner.user.email, FIREFOX_ON_WINDOWS);

    await backdate(owner.user.id, 'Chrome on Mac OS', 'lastSeenAt', 11 * HOUR);
    expect(await signedIn(idle)).toBe(true);
    await backdate(owner.user.id, 'Chrome on Mac OS', 'lastSeenAt', 12 * HOUR + 60_000);
    expect(await signedIn(idle)).toBe(false);

    await backdate(owner.user.id, 'Firefox on Windows', 'startedAt', 29 * 24 * HOUR);
    expect(await signedIn(busy)).toBe(true);
    await backdate(owner.user.id, 'Firefox on Windows', 'startedAt', 30 * 24 * HOUR + 60_000);
    expect(await signedIn(busy)).toBe(false);
    const [left] = await t.sql<{ count: number }>(`SELECT count(*)::int AS count FROM sessions WHERE sess -> 'passport' ->> 'user' = $1`, [owner.user.id]);
    expect(left.count).toBe(1); // the sign-up's own session, which is neither
  });

  it('moves last seen on at most once a minute', async () => {
    const owner = await t.signUp();
    const browser = await signInWith(owner.user.email, CHROME_ON_MAC);
    const lastSeen = async () => {
      const [row] = await t.sql<{ at: string }>(`SELECT sess -> 'activity' ->> 'lastSeenAt' AS at FROM sessions WHERE sess -> 'activity' ->> 'device' = 'Chrome on Mac OS' AND sess -> 'passport' ->> 'user' = $1`, [owner.user.id]);
      return Number(row.at);
    };
    await backdate(owner.user.id, 'Chrome on Mac OS', 'lastSeenAt', 30_000);
    const before = await lastSeen();
    await call(browser, 'get', '/api/v1/auth/session').expect(200);
    expect(await lastSeen()).toBe(before);
    await backdate(owner.user.id, 'Chrome on Mac OS', 'lastSeenAt', 5 * 60_000);
    await call(browser, 'get', '/api/v1/auth/session').expect(200);
    expect(Date.now() - (await lastSeen())).toBeLessThan(10_000);
  });

  it('ends the other sessions when the password changes', async () => {
    const owner = await t.signUp();
    const other = await signInWith(owner.user.email, CHROME_ON_MAC);
    await owner.agent.put('/api/v1/auth/password').set('X-CSRF-Token', owner.csrf).send({ currentPassword: PASSWORD, newPassword: 'another long passphrase to sign in' }).expect(204);
    expect(await signedIn(other)).toBe(false);
    expect(await sessionsOf({ agent: owner.agent, userAgent: 'node-superagent' })).toHaveLength(1);
  });

  it('shows the sessions on the account page, with buttons that sign them out', async () => {
    const owner = await t.signUp();
    const other = await signInWith(owner.user.email, FIREFOX_ON_WINDOWS, LONDON);
    const page = await open(owner.agent, '/account');
    const text = textOf(page);
    expect(text).toContain('Where you are signed in');
    expect(text).toContain('Firefox on Windows');
    expect(text).toContain('United Kingdom');
    expect(text).toContain('(this browser)');
    expect(page).toContain('action="/account/sessions/end-others"');
    expect(unlabelledControls(page)).toEqual([]);

    const done = await postForm(owner.agent, '/account/sessions/end-others', { _csrf: csrfFrom(page) }).expect(303);
    expect(done.headers.location).toBe('/account');
    const after = await open(owner.agent, '/account');
    expect(flashOf(after)).toBe('You are signed out everywhere else.');
    expect(textOf(after)).not.toContain('Firefox on Windows');
    expect(after).not.toContain('action="/account/sessions/end-others"');
    expect(await signedIn(other)).toBe(false);

    const [mine] = await sessionsOf({ agent: owner.agent, userAgent: 'node-superagent' });
    await postForm(owner.agent, `/account/sessions/${mine.id as string}/end`, { _csrf: csrfFrom(after) }).expect(303);
    await owner.agent.get('/api/v1/auth/session').expect(401);
  });
});
