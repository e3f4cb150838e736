import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { csrfFrom, flashOf } from './support/html';
import { createTestApp, PASSWORD, TestApp } from './support/test-app';

/** How much longer the session store takes to write a session here than it takes to read one. */
const SLOW_WRITE_MS = 300;

/**
 * A browser follows a redirect as soon as it has the response's headers. The page it lands on must
 * see what the request before it put in the session, such as the flash message, however long the
 * session store takes to write it.
 */
describe('a redirect and the session it leaves', () => {
  let t: TestApp;
  let base: string;
  const query = Pool.prototype.query;
  /** While set, the session store cannot write, as when its database has just gone away. */
  let writesFail = false;

  beforeAll(async () => {
    t = await createTestApp({ EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // Writes of a session are slowed down, as a busy server with a pool of connections may slow them.
    jest.spyOn(Pool.prototype, 'query').mockImplementation(function (this: Pool, ...args: unknown[]) {
      const run = () => (query as (...a: unknown[]) => unknown).apply(this, args);
      const text = typeof args[0] === 'string' ? args[0] : '';
      if (!/^INSERT INTO "sessions"/.test(text)) return run();
      if (writesFail) return Promise.reject(new Error('connect ECONNREFUSED'));
      return new Promise((resolve) => setTimeout(resolve, SLOW_WRITE_MS)).then(run);
    } as typeof query);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  /** Sends a request and gives its answer as soon as its headers arrive, before its body ends. */
  function headersOf(method: string, path: string, cookie: string, body?: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const sent = httpRequest(`${base}${path}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } }, resolve);
      sent.on('error', reject);
      sent.end(body);
    });
  }

  async function page(path: string, cookie: string): Promise<string> {
    const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
    return response.text();
  }

  it('shows the flash message of a sign-up on the page the browser is sent to at once', async () => {
    const form = await fetch(`${base}/signup`);
    const cookie = form.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const body = new URLSearchParams({
      _csrf: csrfFrom(await form.text()),
      name: 'Ada',
      email: 'ada@redirect.example.org',
      password: PASSWORD,
      'organization[name]': 'Redirect Tools',
      'organization[kind]': 'provider',
    }).toString();

    const redirect = await headersOf('POST', '/signup', cookie, body);
    expect(redirect.statusCode).toBe(303);
    const session = redirect.headers['set-cookie']!.map((line) => line.split(';')[0]).join('; ');
    // The next page is asked for as soon as the headers are in, as a browser does, while the body may still come.
    const next = await page(redirect.headers.location!, session);
    redirect.resume();
    expect(flashOf(next)).toBe('Welcome to Adhere. Redirect Tools is ready.');
  });

  it('still redirects when the session cannot be stored, once the work it reports is done', async () => {
    const signUp = await fetch(`${base}/signup`);
    const anonymous = signUp.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const account = new URLSearchParams({
      _csrf: csrfFrom(await signUp.text()),
      name: 'Bo',
      email: 'bo@redirect.example.org',
      password: PASSWORD,
      'organization[name]': 'Unstored Session Tools',
      'organization[kind]': 'provider',
    }).toString();
    const signedUp = await headersOf('POST', '/signup', anonymous, account);
    signedUp.resume();
    const cookie = signedUp.headers['set-cookie']!.map((line) => line.split(';')[0]).join('; ');
    const [{ slug }] = await t.sql<{ slug: string }>(`SELECT slug FROM organizations WHERE name = 'Unstored Session Tools'`);
    const settings = `/app/${slug}/settings`;
    const form = await page(settings, cookie);
    const version = /name="version" value="(\d+)"/.exec(form)![1];
    const rename = new URLSearchParams({ _csrf: csrfFrom(form), name: 'Renamed While Sessions Fail', country: 'FR', version }).toString();

    writesFail = true;
    try {
      const redirect = await headersOf('POST', settings, cookie, rename);
      redirect.resume();
      expect(redirect.statusCode).toBe(303);
    } finally {
      writesFail = false;
    }
    expect(await t.sql(`SELECT 1 FROM organizations WHERE name = 'Renamed While Sessions Fail'`)).toHaveLength(1);
  });
});
