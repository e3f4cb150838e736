import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { APPLICATION_ROLE } from '../src/database/transaction-host';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { HashListRefreshJob } from '../src/screening/hash-list-refresh.job';
import { asCaller, call, Caller, createLink, filesUnder, OPERATOR, OPERATOR_ENV, orgPath, pdf, retirePublishedVersions, uploadFile, uploadRequest } from './support/assessment-fixtures';
import { zip } from './support/evidence-files';
import { csrfFrom } from './support/html';
import { startS3TestServer, S3TestServer } from './support/s3-test-server';
import { startSmtpTestServer, SmtpTestServer } from './support/smtp-test-server';
import { Actor, createTestApp, TestApp } from './support/test-app';

const digest = (algorithm: 'sha256' | 'md5', bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');

// Harmless files stand for known material: the lists below name their digests.
const LISTED_BY_URL = Buffer.from('A harmless file the hotline list names by its SHA-256.\n');
const LISTED_BY_MD5 = Buffer.from('Another harmless file, named by its MD5 in the same list.\n');
const LISTED_BY_OPERATOR = Buffer.from('A harmless file the operator names in an uploaded list.\n');
const SECRET_TITLE = 'Sample set from the detection queue';
const PAUSED = "This file cannot be accepted. Your organization's uploads are paused; the platform operator will contact you.";

/**
 * Known-hash screening with evidence in an S3-compatible store: lists loaded from HASH_LIST_URLS (a
 * local HTTP server) and by the operator; a match leaves no byte in staging or the bucket and no row
 * with the uploader's title, opens an incident the operator sees and is e-mailed about, and pauses
 * the organization's uploads until the operator resolves it.
 */
describe('known-hash screening of uploads', () => {
  let lists: Server;
  let listText: string;
  let s3: S3TestServer;
  let smtp: SmtpTestServer;
  let client: S3Client;
  let t: TestApp;
  let owner: Actor;
  let other: Actor;
  let ownerCaller: Caller;
  let operator: Awaited<ReturnType<TestApp['signIn']>>;

  beforeAll(async () => {
    listText = `# Test hotline list: digests of harmless files\n\n${digest('sha256', LISTED_BY_URL).toUpperCase()}  harmless-a.txt\n${digest('md5', LISTED_BY_MD5)},harmless-b.txt\n`;
    lists = createServer((request, response) => {
      if (request.url !== '/list.txt') return void response.writeHead(404).end();
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end(listText);
    });
    await new Promise<void>((resolve) => lists.listen(0, '127.0.0.1', resolve));
    s3 = await startS3TestServer();
    smtp = await startSmtpTestServer();
    t = await createTestApp({
      ...OPERATOR_ENV,
      HASH_LIST_URLS: `hotline=http://127.0.0.1:${(lists.address() as AddressInfo).port}/list.txt`,
      HASH_LIST_REFRESH_SECONDS: '0',
      SMTP_URL: smtp.url,
      NOTIFICATION_POLL_SECONDS: '0',
      EXPIRY_JOB_SECONDS: '0',
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    });
    owner = await t.signUp({ organization: 'Screened Provider' });
    other = await t.signUp({ organization: 'Unrelated Provider' });
    ownerCaller = asCaller(owner);
    // Archives must be taken for their entries to be screened: no published code may refuse them.
    await retirePublishedVersions(t);
    operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  }, 90_000);
  afterAll(async () => {
    client?.destroy();
    await t?.close();
    await s3?.close();
    await smtp?.close();
    await new Promise((resolve) => lists?.close(resolve));
  });

  const evidencePath = (who: Actor = owner) => `${orgPath(who.organization.slug)}/evidence`;
  const objects = async () => ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((object) => object.Key);
  const staging = () => filesUnder(join(process.env.DATA_DIR!, 'uploads'));
  const incidents = () => operator.agent.get('/api/v1/operator/upload-incidents').expect(200);
  /** Runs `sql` as the application role with the given organization and user set, as a request does. */
  const asApplication = (scope: { organizationId?: string; userId?: string }, sql: string, params: unknown[] = []) =>
    t.app.get(DataSource).transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APPLICATION_ROLE}`);
      await manager.query(`SELECT set_config('adhere.organization_id', $1, true), set_config('adhere.user_id', $2, true)`, [scope.organizationId ?? '', scope.userId ?? '']);
      return manager.query(sql, params) as Promise<Array<Record<string, unknown>>>;
    });

  it('loads the lists named by HASH_LIST_URLS at start', async () => {
    const response = await operator.agent.get('/api/v1/operator/hash-lists').expect(200);
    expect(response.body).toEqual([expect.objectContaining({ name: 'hotline', source: 'url', entries: 2, url: expect.stringContaining('/list.txt') })]);
  });

  it('lets the operator load a list as text, refusing one with lines that are no digests (400)', async () => {
    const bad = await operator.agent.post('/api/v1/operator/hash-lists?name=bad').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'text/plain').send('# ok\nnot-a-digest\n').expect(400);
    expect(bad.body.details.file).toEqual(['line 2: "not-a-digest" is not a SHA-256 or MD5 digest in hex']);
    const loaded = await operator.agent
      .post('/api/v1/operator/hash-lists?name=operator-list')
      .set('X-CSRF-Token', operator.csrf)
      .set('Content-Type', 'text/plain')
      .send(`${digest('sha256', LISTED_BY_OPERATOR)}\n`)
      .expect(201);
    expect(loaded.body).toMatchObject({ name: 'operator-list', source: 'file', entries: 1 });
  });

  it('lets the operator load a list from the screening page, as a file', async () => {
    const page = await operator.agent.get('/operator/screening').expect(200);
    await operator.agent
      .post('/operator/screening/hash-lists')
      .field('_csrf', csrfFrom(page.text))
      .field('name', 'page-list')
      .attach('file', Buffer.from(`${digest('sha256', Buffer.from('nothing anyone uploads'))}\n`), 'list.txt')
      .expect(303);
    expect((await operator.agent.get('/operator/screening').expect(200)).text).toContain('page-list');
  });

  it('accepts files no list names', async () => {
    await uploadFile(t, ownerCaller, owner.organization.slug, pdf('clean'), 'clean.pdf');
  });

  describe('a file a list names', () => {
    let before: Array<string | undefined>;

    beforeAll(async () => {
      before = await objects();
    });

    it('is refused with a neutral message, and nothing of it is kept', async () => {
      const response = await uploadRequest(t, ownerCaller, evidencePath(), LISTED_BY_URL, 'queue-sample.txt', { title: SECRET_TITLE }).expect(423);
      expect(response.body).toMatchObject({ code: 'UPLOADS_PAUSED', message: PAUSED });
      expect(JSON.stringify(response.body)).not.toMatch(/hash|list|hotline/i);
      expect(staging()).toEqual([]);
      expect(await objects()).toEqual(before);
      expect(filesUnder(join(process.env.DATA_DIR!, 'evidence'))).toEqual([]);
      expect(await t.sql('SELECT id FROM evidence WHERE title = $1', [SECRET_TITLE])).toEqual([]);
      expect(await t.sql(`SELECT id FROM audit_events WHERE data::text LIKE $1`, [`%${SECRET_TITLE}%`])).toEqual([]);
    });

    it('opens an incident for the operator with the organization, uploader, time and list, not the content', async () => {
      const { body } = await incidents();
      expect(body).toEqual([
        expect.objectContaining({
          organizationSlug: owner.organization.slug,
          uploaderEmail: owner.user.email,
          listName: 'hotline',
          algorithm: 'sha256',
          digest: digest('sha256', LISTED_BY_URL),
          occurredAt: expect.any(String),
          resolvedAt: null,
        }),
      ]);
      const [row] = await t.sql('SELECT * FROM upload_incidents');
      expect(JSON.stringify(row)).not.toContain(SECRET_TITLE);
      const page = await operator.agent.get('/operator/screening').expect(200);
      expect(page.text).toContain('Screened Provider');
      expect(page.text).toContain(digest('sha256', LISTED_BY_URL));
    });

    it('e-mails the operator, without the title the uploader typed', async () => {
      await t.app.get(NotificationDelivery).deliverDue();
      const mails = smtp.received.filter((mail) => mail.recipients.includes(OPERATOR.email));
      expect(mails).toHaveLength(1);
      expect(mails[0].headers.subject).toBe('Upload matched the hash list hotline: uploads of Screened Provider are paused');
      expect(mails[0].text).toContain('/operator/screening');
      expect(mails[0].text).not.toContain(SECRET_TITLE);
      // The owner was mailed only the link that confirms the address at sign-up.
      const toOwner = smtp.received.filter((mail) => mail.recipients.includes(owner.user.email)).map((mail) => mail.headers.subject);
      expect(toOwner).toEqual(['Confirm your e-mail address for Adhere']);
    });

    it("pauses every upload, revision and record of the organization (423), and no one else's", async () => {
      const existing = (await call(t, ownerCaller, 'get', evidencePath()).expect(200)).body[0];
      for (const refused of [
        uploadRequest(t, ownerCaller, evidencePath(), pdf('another'), 'another.pdf', { title: 'Another' }),
        uploadRequest(t, ownerCaller, `${evidencePath()}/${existing.id}/revisions`, pdf('revised'), 'revised.pdf'),
        call(t, ownerCaller, 'post', evidencePath()).send({ kind: 'text', title: 'A text', text: 'Words.' }),
      ]) {
        const response = await refused.expect(423);
        expect(response.body).toMatchObject({ code: 'UPLOADS_PAUSED', message: PAUSED });
      }
      const page = await owner.agent.get(`/app/${owner.organization.slug}/evidence/new`).expect(200);
      expect(page.text).toContain('uploads are paused; the platform operator will contact you.');
      await createLink(t, asCaller(other), other.organization.slug);
    });

    it('keeps the incidents from the organization itself, in the application and in the database', async () => {
      await owner.agent.get('/api/v1/operator/upload-incidents').expect(403);
      await owner.agent.get('/operator/screening').expect(403);
      const asOwner = { organizationId: owner.organization.id, userId: owner.user.id };
      expect(await asApplication(asOwner, 'SELECT * FROM upload_incidents')).toEqual([]);
      expect(await asApplication(asOwner, 'SELECT uploads_paused_since($1) IS NOT NULL AS paused', [owner.organization.id])).toEqual([{ paused: true }]);
      await expect(asApplication(asOwner, 'SELECT digest FROM hash_list_entries')).rejects.toThrow(/permission denied/);
      expect(await asApplication(asOwner, 'SELECT list_name FROM hash_list_matches($1)', [[digest('sha256', LISTED_BY_URL)]])).toEqual([{ list_name: 'hotline' }]);
      const [operatorUser] = await t.sql<{ id: string }>('SELECT id FROM users WHERE email = $1', [OPERATOR.email]);
      expect(await asApplication({ userId: operatorUser.id }, 'SELECT list_name FROM upload_incidents')).toEqual([{ list_name: 'hotline' }]);
    });

    it('lets uploads go on once the operator resolves the incident from the page, audited with the note', async () => {
      const [incident] = (await incidents()).body;
      const page = await operator.agent.get('/operator/screening').expect(200);
      await operator.agent
        .post(`/operator/screening/incidents/${incident.id}/resolve`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), note: 'Reported to the hotline; the provider removed the sample set.', version: String(incident.version) })
        .expect(303);
      const stale = await operator.agent.post(`/api/v1/operator/upload-incidents/${incident.id}/resolve`).set('X-CSRF-Token', operator.csrf).send({ note: 'Again', version: incident.version }).expect(409);
      expect(stale.body.code).toBe('UPLOAD_INCIDENT_RESOLVED');
      const [event] = await t.sql<{ data: Record<string, unknown> }>(`SELECT data FROM audit_events WHERE action = 'upload_incident.resolved' AND target_id = $1`, [incident.id]);
      expect(event.data).toMatchObject({ organization: owner.organization.slug, note: 'Reported to the hotline; the provider removed the sample set.', uploadsPaused: false });
      await uploadFile(t, ownerCaller, owner.organization.slug, pdf('after'), 'after.pdf');
    });
  });

  it('finds a listed file inside an archive, by MD5', async () => {
    const otherCaller = asCaller(other);
    const response = await uploadRequest(t, otherCaller, evidencePath(other), zip({ 'notes/readme.txt': 'Nothing here.', 'notes/b.txt': LISTED_BY_MD5 }), 'notes.zip', { title: 'Notes' }).expect(423);
    expect(response.body.message).toBe(PAUSED);
    expect(staging()).toEqual([]);
    const open = (await operator.agent.get('/api/v1/operator/upload-incidents?state=open').expect(200)).body;
    expect(open).toEqual([expect.objectContaining({ organizationSlug: other.organization.slug, listName: 'hotline', algorithm: 'md5', digest: digest('md5', LISTED_BY_MD5) })]);
    await operator.agent.post(`/api/v1/operator/upload-incidents/${open[0].id}/resolve`).set('X-CSRF-Token', operator.csrf).send({ note: 'Looked into it.', version: open[0].version }).expect(200);
  });

  it("finds a file the operator's own list names", async () => {
    await uploadRequest(t, ownerCaller, evidencePath(), LISTED_BY_OPERATOR, 'c.txt', { title: 'C' }).expect(423);
  });

  it('refreshes a list from its address, and leaves an unchanged one as it was', async () => {
    const job = t.app.get(HashListRefreshJob);
    const loadedAt = async () => (await t.sql<{ loaded_at: Date }>(`SELECT loaded_at FROM hash_lists WHERE name = 'hotline'`))[0].loaded_at.toISOString();
    const first = await loadedAt();
    expect(await job.run()).toEqual(['hotline']);
    expect(await loadedAt()).toBe(first);
    listText += `${digest('sha256', Buffer.from('one more'))}\n`;
    await job.run();
    expect((await t.sql<{ entries: number }>(`SELECT entries FROM hash_lists WHERE name = 'hotline'`))[0].entries).toBe(3);
  });
});
