import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import request from 'supertest';
import { KEY_FILE } from '../src/attestations/signing-key-file';
import { BUNDLED_CODES_DIRECTORY } from '../src/codes/bundled-codes.loader';
import { AppProcess, buildApplication } from './support/app-process';
import { asCaller, call, createService, createToken, day, OPERATOR_ENV, orgPath, pdf, sha256, startAssessment, type Caller } from './support/assessment-fixtures';
import { COMPLAINT, fileRequest, newClient } from './support/complaint-fixtures';
import { csrfFrom, textOf } from './support/html';
import { enrolTotp } from './support/mfa-fixtures';
import { monitoringBody, onReview, verifiedAssessment, type Team } from './support/review-fixtures';
import { startS3TestServer, type S3TestServer } from './support/s3-test-server';
import { startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server';
import { Actor, httpTestClient, PASSWORD, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { onServer } from './support/on-server';

/*
 * Two instances of the application, each a process of its own as deployed behind a load balancer, on
 * one PostgreSQL database and one S3-compatible store, each with its own DATA_DIR. They need a server:
 * the embedded database lives inside one process and cannot be shared.
 */
const withServer = onServer(describe, 'test/two-instances.e2e-spec.ts', 'two processes cannot share the embedded database');

/** A visitor's browser: one cookie jar, whichever instance the load balancer sends each request to. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async get(instance: AppProcess, path: string): Promise<{ status: number; location: string | null; html: string }> {
    return this.send(instance, path, { method: 'GET' });
  }

  async postForm(instance: AppProcess, path: string, fields: Record<string, string>) {
    return this.send(instance, path, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  }

  private async send(instance: AppProcess, path: string, init: RequestInit) {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${instance.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { Cookie: cookie } : {}) } });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  }
}

withServer('two instances on one database', () => {
  let build: Awaited<ReturnType<typeof buildApplication>>;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let smtp: SmtpTestServer;
  let s3: S3TestServer;
  /** Each instance's own DATA_DIR. */
  let dataDirs: string[] = [];
  let one: AppProcess;
  let two: AppProcess;
  /** The test fixtures, talking to instance one or two. */
  let viaOne: TestApp;
  let viaTwo: TestApp;
  let provider: Actor;
  /** The provider's API token, good on either instance. */
  let token: string;
  let team: Team;

  const sql = async <T = Record<string, unknown>>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];
  /** What a fixture needs of an application, for one reached over HTTP: it has no application object in this process. */
  const clientOf = (instance: AppProcess): TestApp => ({
    ...httpTestClient(instance.url, sql),
    get app(): never {
      throw new Error('The application runs in another process');
    },
    close: () => instance.stop(),
  });

  beforeAll(async () => {
    dataDirs = [mkdtempSync(join(tmpdir(), 'adhere-one-')), mkdtempSync(join(tmpdir(), 'adhere-two-'))];
    [build, database, smtp, s3] = await Promise.all([buildApplication(), createTestDatabase(), startSmtpTestServer(), startS3TestServer()]);
    pool = new Pool({ connectionString: database.url, max: 2 });
    // As the README's Deployment section says: the same secret and database everywhere, short job intervals for the test.
    const shared = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: 'http://register.example',
      DATABASE_URL: database.url!,
      DATABASE_POOL_SIZE: '4',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      ...OPERATOR_ENV,
      SMTP_URL: smtp.url,
      EXPIRY_JOB_SECONDS: '1',
      NOTIFICATION_POLL_SECONDS: '1',
      STORAGE_DRIVER: 's3',
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    };
    // Started at once, as a deployment starts them: migrations, the bundled code and the operator are set up once.
    const started = await Promise.allSettled(dataDirs.map((dataDir) => AppProcess.start(build.root, { ...shared, DATA_DIR: dataDir })));
    [one, two] = started.map((start) => (start.status === 'fulfilled' ? start.value : undefined!));
    for (const start of started) if (start.status === 'rejected') throw start.reason;
    viaOne = clientOf(one);
    viaTwo = clientOf(two);
    provider = await viaOne.signUp({ organization: 'Two Instance Tools' });
    token = await createToken(provider, ['write']);
    // In production the operator gives a second factor before any operator action.
    const operator = await viaTwo.signIn(OPERATOR_ENV.OPERATOR_EMAIL, OPERATOR_ENV.OPERATOR_PASSWORD);
    await enrolTotp(operator);
    team = await monitoringBody(viaTwo, 'Two Instance Monitor', operator);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await pool?.end();
    await Promise.all([database?.drop(), smtp?.close(), s3?.close()]);
    build?.remove();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starting together, they publish the bundled code and create the operator once', async () => {
    const bundled = readdirSync(BUNDLED_CODES_DIRECTORY).filter((name) => name.endsWith('.yaml')).length;
    expect(bundled).toBeGreaterThan(1);
    expect(await sql(`SELECT count(*)::int AS n FROM code_versions`)).toEqual([{ n: bundled }]);
    expect(await sql(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [OPERATOR_ENV.OPERATOR_EMAIL])).toEqual([{ n: 1 }]);
  });

  it('a session begun on one works on the other: pages, a form with the token from the first, and signing out', async () => {
    const browser = new Browser();
    const signIn = await browser.get(one, '/signin');
    expect(signIn.status).toBe(200);
    const signedIn = await browser.postForm(one, '/signin', { _csrf: csrfFrom(signIn.html), email: provider.user.email, password: PASSWORD });
    expect(signedIn).toMatchObject({ status: 303, location: '/' });

    const slug = provider.organization.slug;
    const overview = await browser.get(two, `/app/${slug}`);
    expect(overview.status).toBe(200);
    expect(textOf(overview.html)).toContain('Sign out');
    expect(textOf(overview.html)).toContain(provider.organization.name);

    // The form is read from one, and posted to two with the token one gave.
    const settings = await browser.get(one, `/app/${slug}/settings`);
    const version = /<input type="hidden" name="version" value="(\d+)">/.exec(settings.html)![1];
    const saved = await browser.postForm(two, `/app/${slug}/settings`, { _csrf: csrfFrom(settings.html), version, name: 'Two Instance Tools Renamed', country: 'NL', website: '' });
    expect(saved).toMatchObject({ status: 303, location: `/app/${slug}/settings` });
    // The message the save left in the session shows on the other instance.
    expect(textOf((await browser.get(one, `/app/${slug}/settings`)).html)).toContain('The organization details were saved.');
    expect((await call(viaOne, asCaller(provider), 'get', orgPath(slug)).expect(200)).body).toMatchObject({ name: 'Two Instance Tools Renamed', country: 'NL' });
    // A wrong token is refused on either: the token is the session's, not just any.
    expect((await browser.postForm(two, `/app/${slug}/settings`, { _csrf: 'not-the-token', version, name: 'Forged' })).status).toBe(403);

    const page = await browser.get(two, '/account');
    expect((await browser.postForm(two, '/signout', { _csrf: csrfFrom(page.html) })).status).toBe(303);
    expect(await browser.get(one, `/app/${slug}`)).toMatchObject({ status: 303, location: `/signin?next=${encodeURIComponent(`/app/${slug}`)}` });
  });

  it('scheduled jobs run once across both: one expiry per entry, one reminder, one e-mail per recipient of each notification', async () => {
    const due = [await verifiedAssessment(viaOne, provider, team), await verifiedAssessment(viaTwo, provider, team)];
    const expiring = await verifiedAssessment(viaOne, provider, team);
    // Their last valid days pass, or come near, while both instances run their jobs every second.
    await sql(`UPDATE register_entries SET valid_until = $2 WHERE id = ANY($1)`, [due.map((entry) => entry.entry.id), day(-1)]);
    await sql(`UPDATE register_entries SET valid_until = $2 WHERE id = $1`, [expiring.entry.id, day(5)]);

    await waitFor(async () => (await sql(`SELECT id FROM register_entries WHERE id = ANY($1) AND status = 'expired'`, [due.map((entry) => entry.entry.id)])).length === 2);
    await waitFor(async () => (await sql(`SELECT id FROM notifications WHERE status = 'pending'`)).length === 0);
    // A few more ticks of both jobs, which must find nothing more to do.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const events = await sql<{ entry_id: string; kind: string }>(`SELECT entry_id, kind FROM register_events WHERE entry_id = ANY($1) AND kind = 'expired'`, [due.map((entry) => entry.entry.id)]);
    expect(events.map((event) => event.entry_id).sort()).toEqual(due.map((entry) => entry.entry.id).sort());
    const transitions = await sql(`SELECT target_id FROM audit_events WHERE action = 'assessment.expire' AND target_id = ANY($1)`, [due.map((entry) => entry.assessment.id)]);
    expect(transitions).toHaveLength(2);
    expect(await sql(`SELECT key FROM notifications WHERE event = 'expiring_soon'`)).toEqual([{ key: `expiring_soon:${expiring.entry.id}:${day(5)}:7` }]);

    // Every notification went out, each to each of its recipients exactly once.
    const deliveries = await sql<{ email: string; subject: string }>(
      `SELECT d.email, n.subject FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.status = 'sent'`,
    );
    expect(await sql(`SELECT status, count(*)::int AS n FROM notifications GROUP BY status`)).toEqual([{ status: 'sent', n: expect.any(Number) }]);
    expect(deliveries.length).toBeGreaterThanOrEqual(6);
    const mailed = smtp.received.map((mail) => `${mail.recipients.join(',')} ${mail.headers.subject}`).sort();
    expect(mailed).toEqual(deliveries.map((delivery) => `${delivery.email} ${delivery.subject}`).sort());
    expect(mailed.filter((mail) => mail.includes('has expired'))).toHaveLength(2);
    expect(mailed.filter((mail) => mail.includes('expires within 7 days'))).toHaveLength(1);
  }, 90_000);

  it('the same record saved on both at once, again and again: one save wins, the other gets 409, nothing is lost', async () => {
    const slug = provider.organization.slug;
    const send = (instance: AppProcess, method: 'patch' | 'put', path: string, body: object) =>
      request(instance.url)[method](`${orgPath(slug)}${path}`).set('Authorization', `Bearer ${token}`).send(body);
    const service = await createService(viaOne, { token }, slug);
    const assessment = await startAssessment(viaOne, { token } as Caller, slug, { serviceId: service.id, monitoringBody: team.monitor.organization.slug });
    const key = assessment.answers[0].requirementKey;

    let serviceVersion = (await send(one, 'patch', `/services/${service.id}`, { version: 1, name: 'Renamed once' }).expect(200)).body.version as number;
    let answerVersion = assessment.answers[0].version;
    const wins = { one: 0, two: 0 };
    for (let round = 0; round < 15; round += 1) {
      const [serviceOnOne, serviceOnTwo, answerOnOne, answerOnTwo] = await Promise.all([
        send(one, 'patch', `/services/${service.id}`, { version: serviceVersion, name: `Named by one ${round}` }),
        send(two, 'patch', `/services/${service.id}`, { version: serviceVersion, name: `Named by two ${round}` }),
        send(one, 'put', `/assessments/${assessment.id}/answers/${key}`, { version: answerVersion, claim: 'met', statement: `Stated by one ${round}`, evidenceIds: [] }),
        send(two, 'put', `/assessments/${assessment.id}/answers/${key}`, { version: answerVersion, claim: 'not_met', statement: `Stated by two ${round}`, evidenceIds: [] }),
      ]);
      expect([serviceOnOne.status, serviceOnTwo.status].sort()).toEqual([200, 409]);
      expect([answerOnOne.status, answerOnTwo.status].sort()).toEqual([200, 409]);
      const serviceWinner = serviceOnOne.status === 200 ? serviceOnOne : serviceOnTwo;
      const answerWinner = answerOnOne.status === 200 ? answerOnOne : answerOnTwo;
      wins[serviceOnOne.status === 200 ? 'one' : 'two'] += 1;
      wins[answerOnOne.status === 200 ? 'one' : 'two'] += 1;

      const [storedService] = await sql<{ name: string; version: number }>(`SELECT name, version FROM services WHERE id = $1`, [service.id]);
      expect(storedService).toEqual({ name: serviceWinner.body.name, version: serviceVersion + 1 });
      const [storedAnswer] = await sql<{ statement: string; version: number }>(`SELECT statement, version FROM answers WHERE assessment_id = $1 AND requirement_key = $2`, [assessment.id, key]);
      expect(storedAnswer).toEqual({ statement: answerWinner.body.statement, version: answerVersion + 1 });
      serviceVersion = storedService.version;
      answerVersion = storedAnswer.version;
    }
    // Both instances won some: the saves really raced, rather than one instance always answering first.
    expect(wins.one).toBeGreaterThan(0);
    expect(wins.two).toBeGreaterThan(0);
  }, 60_000);

  it('sign-in pauses and complaint limits count across instances', async () => {
    const person = await viaTwo.signUp({ organization: 'Locked Out Tools' });
    // The fifth failure in a row (LOGIN_MAX_FAILURES=5), whichever instances saw the others, pauses the account's sign-in from new networks on both.
    const wrong = (instance: AppProcess) => request(instance.url).post('/api/v1/auth/login').send({ email: person.user.email, password: 'not the password at all' });
    for (let attempt = 0; attempt < 5; attempt += 1) await wrong(attempt % 2 ? two : one).expect(401);
    await request(one.url).post('/api/v1/auth/login').send({ email: person.user.email, password: PASSWORD }).expect(401);
    await request(two.url).post('/api/v1/auth/login').send({ email: person.user.email, password: PASSWORD }).expect(401);
    const [run] = await sql<{ failures: number; paused: boolean }>(`SELECT failures, blocked_until > now() AS paused FROM sign_in_throttles WHERE user_id = $1 AND network = '*'`, [person.user.id]);
    expect(run).toEqual({ failures: 5, paused: true });

    // COMPLAINTS_PER_HOUR=5 for one client, whichever instance takes each complaint.
    const [entry] = await sql<{ id: string }>(`SELECT id FROM register_entries WHERE status = 'verified' LIMIT 1`);
    const client = newClient();
    for (let complaint = 0; complaint < 5; complaint += 1) await fileRequest(complaint % 2 ? viaTwo : viaOne, entry.id, COMPLAINT, client).expect(201);
    await fileRequest(viaOne, entry.id, COMPLAINT, client).expect(429);
    await fileRequest(viaTwo, entry.id, COMPLAINT, client).expect(429);
  });

  it('evidence uploaded through one is served by the other from the shared store', async () => {
    const bytes = pdf('shared evidence');
    const path = `${orgPath(provider.organization.slug)}/evidence`;
    const uploaded = await request(one.url)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .attach('file', bytes, { filename: 'shared.pdf', contentType: 'application/pdf' })
      .field('title', 'Shared evidence')
      .field('confirmation', 'true')
      .expect(201);
    expect(uploaded.body.revision.sha256).toBe(sha256(bytes));
    const served = await request(two.url)
      .get(`${path}/${uploaded.body.id}/revisions/1/content`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(sha256(served.body as Buffer)).toBe(sha256(bytes));
  });

  it('the register shows a change made through one on the other at once, whatever it had rendered before', async () => {
    const verified = await verifiedAssessment(viaOne, provider, team);
    const path = `/register/${verified.entry.id}`;
    // Rendered by both for anonymous visitors, and kept by each for its revision of the register.
    const before = await Promise.all([one, two].map((instance) => request(instance.url).get(path).expect(200)));
    expect(before[0].headers.etag).toBe(before[1].headers.etag);
    expect(textOf(before[0].text)).toContain('Status: verified');

    await onReview(viaTwo, team, team.admin, 'post', `/${verified.assessment.id}/suspend`).send({ reason: 'Looking into a complaint.' }).expect(200);

    for (const instance of [one, two]) {
      const after = await request(instance.url).get(path).set('If-None-Match', before[0].headers.etag).expect(200);
      expect(after.headers.etag).not.toBe(before[0].headers.etag);
      expect(textOf(after.text)).toContain('Status: suspended');
      expect((await request(instance.url).get(`/api/v1/register/${verified.entry.id}`).expect(200)).body.status).toBe('suspended');
    }
  });

  it('neither instance logged an error meanwhile', () => {
    for (const instance of [one, two]) {
      const errors = instance.log.split('\n').filter((line) => /^\{"level":(50|60)/.test(line));
      expect(errors).toEqual([]);
    }
  });

  describe('the register signing key', () => {
    const jwksOf = async (instance: AppProcess) => (await request(instance.url).get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
    const attestationOf = async (instance: AppProcess, entryId: string) => (await request(instance.url).get(`/api/v1/register/${entryId}/attestation`).expect(200)).text;
    const verifyOn = async (instance: AppProcess, attestation: string) => (await request(instance.url).post('/api/v1/register/verify').send({ attestation }).expect(200)).body;
    const keyOf = (dataDir: string) => readFileSync(join(dataDir, KEY_FILE), 'utf8');
    let entryId: string;

    beforeAll(async () => {
      [{ id: entryId }] = await sql<{ id: string }>(`SELECT id FROM register_entries WHERE status = 'verified' LIMIT 1`);
    });

    it('without a shared key, each instance keeps its own key in use, both verify everywhere, and the later start warns', async () => {
      const [kidOfOne, kidOfTwo] = await Promise.all([one, two].map(async (instance) => decodeProtectedHeader(await attestationOf(instance, entryId)).kid));
      expect(kidOfOne).not.toBe(kidOfTwo);
      const [jwksOne, jwksTwo] = await Promise.all([jwksOf(one), jwksOf(two)]);
      expect(jwksOne).toEqual(jwksTwo);
      expect(jwksOne.keys.map((key) => key.kid).sort()).toEqual([kidOfOne, kidOfTwo].sort());
      expect(await sql(`SELECT kid FROM register_signing_keys WHERE retired_at IS NOT NULL`)).toEqual([]);

      for (const [signer, checker] of [
        [one, two],
        [two, one],
      ]) {
        const attestation = await attestationOf(signer, entryId);
        expect((await compactVerify(attestation, createLocalJWKSet(jwksOne))).protectedHeader.kid).toBe(decodeProtectedHeader(attestation).kid);
        // Neither key is called retired while an instance signs with it.
        expect(await verifyOn(checker, attestation)).toMatchObject({ signature: 'valid', keyStatus: 'active', matchesCurrent: true });
      }
      // They started at once and took turns publishing their keys: the second to do so says what is wrong.
      const warned = [one, two].filter((instance) => instance.log.includes('Other running instances sign register attestations'));
      expect(warned).toHaveLength(1);
      const [own, other] = warned[0] === one ? [kidOfOne, kidOfTwo] : [kidOfTwo, kidOfOne];
      expect(warned[0].log).toContain(`Other running instances sign register attestations with key ${other}, and this one with ${own}.`);
      expect(warned[0].log).toContain('give every instance the same REGISTER_SIGNING_KEY');
    });

    it('given one REGISTER_SIGNING_KEY, both sign with it; a key no instance uses any more is retired and still verifies', async () => {
      const oldAttestation = await attestationOf(one, entryId);
      const oldKid = decodeProtectedHeader(oldAttestation).kid;
      const sharedKey = keyOf(dataDirs[1]);
      const sharedKid = decodeProtectedHeader(await attestationOf(two, entryId)).kid;

      await one.stop();
      // Stands for the three minutes after which a key nobody renews has run out of lease.
      await sql(`UPDATE register_signing_keys SET in_use_until = now() - interval '1 second' WHERE kid = $1`, [oldKid]);
      await one.restart({ REGISTER_SIGNING_KEY: sharedKey });
      expect(one.log).not.toContain('Other running instances sign register attestations');

      expect(decodeProtectedHeader(await attestationOf(one, entryId)).kid).toBe(sharedKid);
      const [jwksOne, jwksTwo] = await Promise.all([jwksOf(one), jwksOf(two)]);
      expect(jwksOne).toEqual(jwksTwo);
      expect(jwksOne.keys.map((key) => key.kid)).toEqual([sharedKid, oldKid]);
      for (const instance of [one, two]) {
        expect(await verifyOn(instance, oldAttestation)).toMatchObject({ signature: 'valid', kid: oldKid, keyStatus: 'retired', matchesCurrent: true });
        expect(await verifyOn(instance, await attestationOf(instance === one ? two : one, entryId))).toMatchObject({ signature: 'valid', kid: sharedKid, keyStatus: 'active' });
      }
    }, 60_000);
  });
});

/** Polls `check` every 200 ms until it holds, failing after `timeoutMs`. */
async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Still not so after ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

