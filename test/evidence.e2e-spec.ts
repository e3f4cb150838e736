import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Response } from 'supertest';
import {
  accredit,
  asCaller,
  call,
  Caller,
  createLink,
  createService,
  createText,
  createToken,
  day,
  ELF,
  EvidenceBody,
  eventually,
  filesUnder,
  NO_SUCH_ORGANIZATION,
  OPERATOR_ENV,
  orgPath,
  pdf,
  saveAnswer,
  sha256,
  startAssessment,
  UNKNOWN_ID,
  uploadFile,
  uploadRequest,
  UUID,
} from './support/assessment-fixtures';
import { docx } from './support/evidence-files';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';

const MAX_BYTES = 65_536;

/** Collects a response body as bytes, whatever its type. */
const binary = (response: Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('evidence', () => {
  let t: TestApp;
  let owner: Actor;
  let other: Actor;
  let monitor: Actor;
  let viewer: Member;
  let ownerCaller: Caller;
  let writeToken: string;
  let dataDir: string;

  // Booting the application and signing everyone up takes a while on a busy machine.
  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, UPLOAD_MAX_BYTES: String(MAX_BYTES) });
    dataDir = process.env.DATA_DIR!;
    owner = await t.signUp({ organization: 'Evidence Provider' });
    other = await t.signUp({ organization: 'Other Evidence Provider' });
    monitor = await t.signUp({ organization: 'Evidence Monitor', kind: 'monitoring_body' });
    viewer = await t.addMember(owner, 'viewer');
    ownerCaller = asCaller(owner);
    writeToken = await createToken(owner, ['write']);
    await accredit(t, monitor);
  }, 90_000);
  afterAll(() => t.close());

  const slug = () => owner.organization.slug;
  const evidencePath = (id = '') => `${orgPath(slug())}/evidence${id ? `/${id}` : ''}`;
  const stagingDir = () => join(dataDir, 'uploads');
  const storedDir = (organizationId = owner.organization.id) => join(dataDir, 'evidence', organizationId);
  const storedPath = (hash: string, organizationId = owner.organization.id) => join(storedDir(organizationId), hash.slice(0, 2), hash);
  const evidenceCount = async () =>
    (await t.sql<{ evidence: number; revisions: number }>('SELECT (SELECT count(*)::int FROM evidence) AS evidence, (SELECT count(*)::int FROM evidence_revisions) AS revisions'))[0];
  /** Row counts and every file under DATA_DIR: what a refused upload must leave as it was. */
  const footprint = async () => ({ rows: await evidenceCount(), stored: filesUnder(join(dataDir, 'evidence')), staging: filesUnder(stagingDir()) });
  const download = (id: string, number: number, who: Caller = ownerCaller) => call(t, who, 'get', `${evidencePath(id)}/revisions/${number}/content`).buffer(true).parse(binary);

  describe('links and texts', () => {
    it('keeps a link (201) with its hash, confidential to the monitoring body by default', async () => {
      const response = await call(t, ownerCaller, 'post', evidencePath())
        .send({ kind: 'link', title: '  Transparency report 2026 ', url: 'https://example.org/transparency-2026', description: 'Published yearly.', note: 'First edition.' })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        kind: 'link',
        title: 'Transparency report 2026',
        description: 'Published yearly.',
        confidentiality: 'monitoring_body',
        status: 'current',
        version: 1,
        revision: {
          number: 1,
          sha256: sha256('https://example.org/transparency-2026'),
          size: Buffer.byteLength('https://example.org/transparency-2026'),
          contentType: expect.any(String),
          fileName: null,
          url: 'https://example.org/transparency-2026',
          text: null,
          effectiveDate: day(0),
          expiresAt: null,
          note: 'First edition.',
          createdAt: expect.any(String),
        },
        revisions: [response.body.revision],
        usedBy: [],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await call(t, ownerCaller, 'get', evidencePath(response.body.id)).expect(200)).toHaveProperty('body', response.body);
      // A link has no content of its own to download.
      await download(response.body.id, 1).expect(404);
      const [row] = await t.sql('SELECT organization_id, created_by FROM evidence WHERE id = $1', [response.body.id]);
      expect(row).toEqual({ organization_id: owner.organization.id, created_by: owner.user.id });
    });

    it('keeps a text (201), hashed as UTF-8, and serves it as an attachment', async () => {
      const text = 'Größe matters: every report is reviewed within 24 h. 😀';
      const created = await createText(t, ownerCaller, slug(), { title: 'Review pledge', text, confidentiality: 'public' });
      expect(created).toMatchObject({ kind: 'text', confidentiality: 'public', revision: { sha256: sha256(Buffer.from(text, 'utf8')), size: Buffer.byteLength(text), text, url: null } });
      const content = await download(created.id, 1).expect(200);
      expect(content.body.toString('utf8')).toBe(text);
      expect(content.headers['content-type']).toMatch(/^text\/plain/);
      expect(content.headers['content-disposition']).toMatch(/^attachment/);
      expect(content.headers['x-content-type-options']).toBe('nosniff');
    });

    it('says whether evidence holds today: expired from its expiry date on, not yet effective before its effective date', async () => {
      const expired = await createLink(t, ownerCaller, slug(), { effectiveDate: day(-365), expiresAt: day(0) });
      const lastDay = await createLink(t, ownerCaller, slug(), { effectiveDate: day(-365), expiresAt: day(1) });
      const future = await createLink(t, ownerCaller, slug(), { effectiveDate: day(3), expiresAt: day(400) });
      expect([expired.status, lastDay.status, future.status]).toEqual(['expired', 'current', 'not_yet_effective']);
      expect(expired.revision).toMatchObject({ effectiveDate: day(-365), expiresAt: day(0) });
    });

    it('refuses bad input with 400 naming each field, and writes nothing', async () => {
      const before = await evidenceCount();
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ kind: 'link', url: 'https://example.org/' }, ['title']],
        [{ kind: 'link', title: '   ', url: 'https://example.org/' }, ['title']],
        [{ kind: 'link', title: 'No address' }, ['url']],
        [{ kind: 'link', title: 'FTP', url: 'ftp://example.org/file' }, ['url']],
        [{ kind: 'text', title: 'Empty', text: '' }, ['text']],
        [{ kind: 'file', title: 'Not like this', url: 'https://example.org/' }, ['kind']],
        [{ kind: 'link', title: 'Secret', url: 'https://example.org/', confidentiality: 'secret' }, ['confidentiality']],
        [{ kind: 'link', title: 'Bad date', url: 'https://example.org/', effectiveDate: '2026-02-30' }, ['effectiveDate']],
        [{ kind: 'link', title: 'Backwards', url: 'https://example.org/', effectiveDate: day(10), expiresAt: day(5) }, ['expiresAt']],
        [{ kind: 'link', title: 'Same day', url: 'https://example.org/', effectiveDate: day(10), expiresAt: day(10) }, ['expiresAt']],
        [{ kind: 'link', title: 'Extra', url: 'https://example.org/', organizationId: other.organization.id }, ['organizationId']],
      ];
      for (const [body, fields] of cases) {
        const response = await call(t, ownerCaller, 'post', evidencePath()).send(body);
        expect({ body, status: response.status, fields: Object.keys(response.body.details ?? {}).sort() }).toEqual({ body, status: 400, fields });
      }
      expect(await evidenceCount()).toEqual(before);
    });
  });

  describe('file uploads', () => {
    it('stores a file (201) under its SHA-256, with the type detected from its bytes', async () => {
      const bytes = pdf('Data Protection Impact Assessment');
      const created = await uploadRequest(t, ownerCaller, evidencePath(), bytes, 'C:\\Users\\ana\\DPIA 2026.pdf', {
        title: 'DPIA 2026',
        description: 'Our DPIA.',
        confidentiality: 'monitoring_body',
        effectiveDate: day(-1),
        expiresAt: day(364),
        note: 'Signed version.',
      }).expect(201);
      const hash = sha256(bytes);
      expect(created.body).toMatchObject({
        kind: 'file',
        title: 'DPIA 2026',
        description: 'Our DPIA.',
        status: 'current',
        revision: { number: 1, sha256: hash, size: bytes.length, contentType: 'application/pdf', fileName: 'DPIA 2026.pdf', url: null, text: null, effectiveDate: day(-1), expiresAt: day(364), note: 'Signed version.' },
        usedBy: [],
      });
      expect(readFileSync(storedPath(hash)).equals(bytes)).toBe(true);
      expect(filesUnder(stagingDir())).toEqual([]);
      const [row] = await t.sql('SELECT sha256, size::int AS size, content_type, file_name FROM evidence_revisions WHERE evidence_id = $1', [created.body.id]);
      expect(row).toEqual({ sha256: hash, size: bytes.length, content_type: 'application/pdf', file_name: 'DPIA 2026.pdf' });

      const content = await download(created.body.id, 1).expect(200);
      expect(content.body.equals(bytes)).toBe(true);
      expect(content.headers).toMatchObject({ 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff', 'content-length': String(bytes.length) });
      expect(content.headers['content-disposition']).toMatch(/^attachment; filename="DPIA 2026\.pdf"/);
      expect(sha256(content.body)).toBe(hash);
    });

    it.each([
      ['a Word document', docx(), 'policy.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['a CSV file', Buffer.from('id,name\n1,Ana\n'), 'people.csv', 'text/csv'],
      ['a JSON file', Buffer.from('{"reports": 12}\n'), 'stats.json', 'application/json'],
      ['plain text', Buffer.from('Meeting notes.\n'), 'notes.txt', 'text/plain'],
      ['a PDF whatever its name', pdf('renamed'), 'picture.png', 'application/pdf'],
    ])('detects %s', async (_name, bytes, fileName, type) => {
      const created = await uploadFile(t, ownerCaller, slug(), bytes, fileName);
      expect(created.revision.contentType.split(';')[0]).toBe(type);
      expect(created.revision.sha256).toBe(sha256(bytes));
      const content = await download(created.id, 1).expect(200);
      expect(content.body.equals(bytes)).toBe(true);
      expect(content.headers['content-type'].split(';')[0]).toBe(type);
    });

    it('refuses a type that is no evidence (415): an executable, random bytes; nothing is left behind', async () => {
      const before = await footprint();
      for (const [bytes, name] of [
        [ELF, 'tool.pdf'],
        [randomBytes(4096), 'noise.bin'],
      ] as const) {
        const response = await uploadRequest(t, ownerCaller, evidencePath(), bytes, name, { title: 'Not evidence' }).expect(415);
        expect(response.body.statusCode).toBe(415);
        expect(response.body.message).toContain('not accepted');
      }
      expect(await footprint()).toEqual(before);
    });

    it('accepts a file of exactly UPLOAD_MAX_BYTES and refuses one byte more (413); nothing is left behind', async () => {
      const limit = Buffer.alloc(MAX_BYTES, 'a');
      const atLimit = await uploadFile(t, ownerCaller, slug(), limit, 'limit.txt');
      expect(atLimit.revision.size).toBe(MAX_BYTES);
      const before = await footprint();
      for (const size of [MAX_BYTES + 1, MAX_BYTES * 3]) {
        const response = await uploadRequest(t, ownerCaller, evidencePath(), Buffer.alloc(size, 'b'), 'too-big.txt', { title: 'Too big' }).expect(413);
        expect(response.body.statusCode).toBe(413);
      }
      expect(await footprint()).toEqual(before);
    });

    it('refuses an upload without a title, a file or with two files (400 naming the field); nothing is written', async () => {
      const before = await footprint();
      const untitled = await uploadRequest(t, ownerCaller, evidencePath(), pdf('untitled'), 'untitled.pdf').expect(400);
      expect(Object.keys(untitled.body.details)).toEqual(['title']);
      const noFile = await call(t, ownerCaller, 'post', evidencePath()).field('title', 'Nothing attached').expect(400);
      expect(Object.keys(noFile.body.details)).toEqual(['file']);
      const two = await uploadRequest(t, ownerCaller, evidencePath(), pdf('one'), 'one.pdf', { title: 'Two files' }).attach('file', pdf('two'), 'two.pdf').expect(400);
      expect(Object.keys(two.body.details)).toEqual(['file']);
      const backwards = await uploadRequest(t, ownerCaller, evidencePath(), pdf('dates'), 'dates.pdf', { title: 'Backwards', effectiveDate: day(5), expiresAt: day(1) }).expect(400);
      expect(Object.keys(backwards.body.details)).toEqual(['expiresAt']);
      const extra = await uploadRequest(t, ownerCaller, evidencePath(), pdf('extra'), 'extra.pdf', { title: 'Extra', kind: 'link' }).expect(400);
      expect(Object.keys(extra.body.details)).toEqual(['kind']);
      const empty = await uploadRequest(t, ownerCaller, evidencePath(), Buffer.alloc(0), 'empty.pdf', { title: 'Empty' }).expect(400);
      expect(Object.keys(empty.body.details)).toEqual(['file']);
      expect(await footprint()).toEqual(before);
    });

    it('refuses a cookie-authenticated upload without the CSRF token (403), before storing anything', async () => {
      const before = await footprint();
      await owner.agent.post(evidencePath()).field('title', 'Forged').attach('file', pdf('forged'), 'forged.pdf').expect(403);
      expect(await footprint()).toEqual(before);
    });

    it('leaves nothing behind when the client goes away in the middle of an upload', async () => {
      if (!t.server.listening) await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
      const { port } = t.server.address() as AddressInfo;
      const before = await footprint();
      const boundary = `----adhere${randomBytes(8).toString('hex')}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nAborted upload\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="aborted.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      const upload = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: evidencePath(),
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(MAX_BYTES - 1_000), Authorization: `Bearer ${writeToken}` },
      });
      const outcome = new Promise<string>((resolve) => {
        upload.on('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code}`));
        upload.on('response', (response) => resolve(`response ${response.statusCode}`));
      });
      upload.write(head);
      upload.write(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20_000, 'x')]));
      // The server has begun to stage the file …
      expect(await eventually(() => filesUnder(stagingDir()).length > 0)).toBe(true);
      // … when the client disappears.
      upload.destroy();
      expect(await outcome).toMatch(/^error/);
      expect(await eventually(() => filesUnder(stagingDir()).length === 0)).toBe(true);
      expect(await t.sql(`SELECT id FROM evidence WHERE title = 'Aborted upload'`)).toEqual([]);
      expect(await footprint()).toEqual(before);
      // The server still serves uploads.
      await uploadFile(t, { token: writeToken }, slug(), pdf('after the abort'), 'after.pdf');
    });

    it('stores the same bytes once per organization, however often they are uploaded', async () => {
      const bytes = pdf('shared policy');
      const hash = sha256(bytes);
      const first = await uploadFile(t, ownerCaller, slug(), bytes, 'policy.pdf', { title: 'Policy (team A)' });
      const second = await uploadFile(t, ownerCaller, slug(), bytes, 'policy-copy.pdf', { title: 'Policy (team B)' });
      expect(first.id).not.toBe(second.id);
      expect([first.revision.sha256, second.revision.sha256]).toEqual([hash, hash]);
      expect(filesUnder(storedDir()).filter((path) => path.endsWith(hash))).toHaveLength(1);
      const theirs = await uploadFile(t, asCaller(other), other.organization.slug, bytes, 'policy.pdf');
      expect(theirs.revision.sha256).toBe(hash);
      expect(readFileSync(storedPath(hash, other.organization.id)).equals(bytes)).toBe(true);
    });
  });

  describe('simultaneous uploads', () => {
    it('stores the same bytes uploaded twice at once as two pieces of evidence and one file', async () => {
      const bytes = pdf('raced upload');
      const hash = sha256(bytes);
      const responses = await Promise.all([
        uploadRequest(t, ownerCaller, evidencePath(), bytes, 'race-a.pdf', { title: 'Race A' }),
        uploadRequest(t, { token: writeToken }, evidencePath(), bytes, 'race-b.pdf', { title: 'Race B' }),
      ]);
      expect(responses.map((response) => response.status)).toEqual([201, 201]);
      expect(filesUnder(storedDir()).filter((path) => path.endsWith(hash))).toHaveLength(1);
      expect(readFileSync(storedPath(hash)).equals(bytes)).toBe(true);
      for (const response of responses) expect((await download(response.body.id, 1).expect(200)).body.equals(bytes)).toBe(true);
      expect(filesUnder(stagingDir())).toEqual([]);
    });

    it('numbers two revisions uploaded at once 2 and 3, each with its own bytes', async () => {
      const created = await uploadFile(t, ownerCaller, slug(), pdf('base'), 'base.pdf');
      const [a, b] = [pdf('revision from A'), pdf('revision from B')];
      const responses = await Promise.all([
        uploadRequest(t, ownerCaller, `${evidencePath(created.id)}/revisions`, a, 'a.pdf'),
        uploadRequest(t, { token: writeToken }, `${evidencePath(created.id)}/revisions`, b, 'b.pdf'),
      ]);
      expect(responses.map((response) => response.status)).toEqual([201, 201]);
      const detail = (await call(t, ownerCaller, 'get', evidencePath(created.id)).expect(200)).body as EvidenceBody;
      expect(detail.revisions.map((revision) => revision.number)).toEqual([3, 2, 1]);
      expect(detail.revisions.slice(0, 2).map((revision) => revision.sha256).sort()).toEqual([sha256(a), sha256(b)].sort());
      for (const revision of detail.revisions.slice(0, 2)) {
        const content = await download(created.id, revision.number).expect(200);
        expect(sha256(content.body)).toBe(revision.sha256);
      }
    });
  });

  describe('revisions', () => {
    it('keeps every file revision with its own bytes and hash, newest first, each downloadable', async () => {
      const v1 = pdf('Licence terms, 2025 edition');
      const v2 = pdf('Licence terms, 2026 edition, with the new audit clause');
      const created = await uploadFile(t, ownerCaller, slug(), v1, 'terms-2025.pdf', { title: 'Licence terms' });
      const revised = await uploadRequest(t, ownerCaller, `${evidencePath(created.id)}/revisions`, v2, 'terms-2026.pdf', { note: 'New audit clause.', effectiveDate: day(-2) }).expect(201);
      expect(revised.body).toMatchObject({
        id: created.id,
        title: 'Licence terms',
        version: 2,
        revision: { number: 2, sha256: sha256(v2), size: v2.length, fileName: 'terms-2026.pdf', note: 'New audit clause.', effectiveDate: day(-2) },
      });
      expect(revised.body.revisions.map((revision: { number: number; sha256: string }) => [revision.number, revision.sha256])).toEqual([
        [2, sha256(v2)],
        [1, sha256(v1)],
      ]);
      for (const [number, bytes, name] of [
        [1, v1, 'terms-2025.pdf'],
        [2, v2, 'terms-2026.pdf'],
      ] as const) {
        const revision = await call(t, ownerCaller, 'get', `${evidencePath(created.id)}/revisions/${number}`).expect(200);
        expect(revision.body).toMatchObject({ number, sha256: sha256(bytes), size: bytes.length, fileName: name, contentType: 'application/pdf' });
        const content = await download(created.id, number).expect(200);
        expect(content.body.equals(bytes)).toBe(true);
        expect(content.headers['content-disposition']).toContain(name);
        expect(readFileSync(storedPath(sha256(bytes))).equals(bytes)).toBe(true);
      }
      await call(t, ownerCaller, 'get', `${evidencePath(created.id)}/revisions/3`).expect(404);
      await download(created.id, 3).expect(404);
      await call(t, ownerCaller, 'get', `${evidencePath(created.id)}/revisions/two`).expect(400);
      // Revisions are records of fact: the database itself refuses to change one.
      await expect(t.sql(`UPDATE evidence_revisions SET note = 'rewritten' WHERE evidence_id = $1`, [created.id])).rejects.toThrow();
    });

    it('revises links and texts with JSON, each revision hashed', async () => {
      const link = await createLink(t, ownerCaller, slug(), { url: 'https://example.org/v1' });
      const linkRevised = await call(t, ownerCaller, 'post', `${evidencePath(link.id)}/revisions`).send({ url: 'https://example.org/v2', note: 'Moved.' }).expect(201);
      expect(linkRevised.body.revision).toMatchObject({ number: 2, url: 'https://example.org/v2', sha256: sha256('https://example.org/v2'), note: 'Moved.' });
      expect(linkRevised.body.revisions.map((revision: { url: string }) => revision.url)).toEqual(['https://example.org/v2', 'https://example.org/v1']);
      const text = await createText(t, ownerCaller, slug(), { text: 'First wording.' });
      const textRevised = await call(t, ownerCaller, 'post', `${evidencePath(text.id)}/revisions`).send({ text: 'Second wording.' }).expect(201);
      expect(textRevised.body.revision).toMatchObject({ number: 2, text: 'Second wording.', sha256: sha256('Second wording.') });
      expect((await download(text.id, 1).expect(200)).body.toString()).toBe('First wording.');
      expect((await download(text.id, 2).expect(200)).body.toString()).toBe('Second wording.');
    });

    it('refuses a revision of another kind (400) and keeps nothing of it', async () => {
      const file = await uploadFile(t, ownerCaller, slug(), pdf('kind test'), 'kind.pdf');
      const link = await createLink(t, ownerCaller, slug());
      const text = await createText(t, ownerCaller, slug());
      const before = await footprint();
      await call(t, ownerCaller, 'post', `${evidencePath(file.id)}/revisions`).send({ url: 'https://example.org/instead' }).expect(400);
      const fileOnLink = pdf('a file for a link');
      await uploadRequest(t, ownerCaller, `${evidencePath(link.id)}/revisions`, fileOnLink, 'instead.pdf').expect(400);
      const urlOnText = await call(t, ownerCaller, 'post', `${evidencePath(text.id)}/revisions`).send({ url: 'https://example.org/instead' }).expect(400);
      expect(Object.keys(urlOnText.body.details ?? {})).toContain('text');
      const backwards = await call(t, ownerCaller, 'post', `${evidencePath(link.id)}/revisions`).send({ url: 'https://example.org/v9', effectiveDate: day(3), expiresAt: day(2) }).expect(400);
      expect(Object.keys(backwards.body.details)).toEqual(['expiresAt']);
      await call(t, ownerCaller, 'post', `${evidencePath(UNKNOWN_ID)}/revisions`).send({ url: 'https://example.org/x' }).expect(404);
      expect(await footprint()).toEqual(before);
      expect((await call(t, ownerCaller, 'get', evidencePath(link.id)).expect(200)).body.revisions).toHaveLength(1);
    });
  });

  describe('changing and finding evidence', () => {
    it('changes title, description and confidentiality on the current version, and refuses a stale one (409)', async () => {
      const created = await createLink(t, ownerCaller, slug(), { title: 'Old title' });
      const changed = await call(t, ownerCaller, 'patch', evidencePath(created.id)).send({ title: 'New title', description: 'Now described.', confidentiality: 'public', version: 1 }).expect(200);
      expect(changed.body).toMatchObject({ title: 'New title', description: 'Now described.', confidentiality: 'public', version: 2, revisions: [expect.objectContaining({ number: 1 })] });
      const stale = await call(t, ownerCaller, 'patch', evidencePath(created.id)).send({ title: 'Lost update', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ statusCode: 409, details: { currentVersion: 2 } });
      expect((await call(t, ownerCaller, 'get', evidencePath(created.id)).expect(200)).body).toMatchObject({ title: 'New title', version: 2 });
      const noVersion = await call(t, ownerCaller, 'patch', evidencePath(created.id)).send({ title: 'Versionless' }).expect(400);
      expect(Object.keys(noVersion.body.details)).toEqual(['version']);
      const blank = await call(t, ownerCaller, 'patch', evidencePath(created.id)).send({ title: '  ', version: 2 }).expect(400);
      expect(Object.keys(blank.body.details)).toEqual(['title']);
      await call(t, ownerCaller, 'patch', evidencePath(UNKNOWN_ID)).send({ title: 'Nobody', version: 1 }).expect(404);
    });

    it('refuses a null title or confidentiality (400 naming the field) instead of failing', async () => {
      const created = await createLink(t, ownerCaller, slug(), { title: 'Nullable?' });
      const outcomes = [];
      for (const field of ['title', 'confidentiality']) {
        const response = await call(t, ownerCaller, 'patch', evidencePath(created.id)).send({ [field]: null, version: 1 });
        outcomes.push({ field, status: response.status, named: Object.keys(response.body.details ?? {}) });
      }
      expect(outcomes).toEqual([
        { field: 'title', status: 400, named: ['title'] },
        { field: 'confidentiality', status: 400, named: ['confidentiality'] },
      ]);
      expect((await call(t, ownerCaller, 'get', evidencePath(created.id)).expect(200)).body).toMatchObject({ title: 'Nullable?', version: 1 });
    });

    it('answers 4xx, not 500, to numbers beyond what the database holds (a version, a revision number)', async () => {
      const created = await createLink(t, ownerCaller, slug(), { title: 'Big numbers' });
      const outcomes = [];
      const patch = await call(t, ownerCaller, 'patch', evidencePath(created.id)).send({ title: 'Overflow', version: 2 ** 31 });
      outcomes.push({ what: 'PATCH version 2^31', status: patch.status < 500 ? '4xx' : patch.status });
      for (const number of [2 ** 31, 10 ** 12]) {
        const revision = await call(t, ownerCaller, 'get', `${evidencePath(created.id)}/revisions/${number}`);
        outcomes.push({ what: `revision ${number}`, status: revision.status < 500 ? '4xx' : revision.status });
        const content = await call(t, ownerCaller, 'get', `${evidencePath(created.id)}/revisions/${number}/content`);
        outcomes.push({ what: `content of revision ${number}`, status: content.status < 500 ? '4xx' : content.status });
      }
      expect(outcomes).toEqual(outcomes.map(({ what }) => ({ what, status: '4xx' })));
      expect((await call(t, ownerCaller, 'get', evidencePath(created.id)).expect(200)).body).toMatchObject({ title: 'Big numbers', version: 1 });
    });

    it('lists the library by title, searchable by words and kind', async () => {
      await createLink(t, asCaller(other), other.organization.slug, { title: 'Zebra crossing audit (theirs)' });
      await createLink(t, ownerCaller, slug(), { title: 'Zebra crossing audit', description: 'Road safety.' });
      await createText(t, ownerCaller, slug(), { title: 'Aardvark notes', description: 'About 100% of zebras.' });
      const all = await call(t, ownerCaller, 'get', evidencePath()).expect(200);
      const titles = all.body.map((item: { title: string }) => item.title);
      expect(titles).toEqual([...titles].sort((a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(titles).not.toContain('Zebra crossing audit (theirs)');
      expect(all.body.every((item: Record<string, unknown>) => !('revisions' in item))).toBe(true);
      const zebra = await call(t, ownerCaller, 'get', `${evidencePath()}?q=zebra`).expect(200);
      expect(zebra.body.map((item: { title: string }) => item.title).sort()).toEqual(['Aardvark notes', 'Zebra crossing audit']);
      const percent = await call(t, ownerCaller, 'get', `${evidencePath()}?q=${encodeURIComponent('100%')}`).expect(200);
      expect(percent.body.map((item: { title: string }) => item.title)).toEqual(['Aardvark notes']);
      const texts = await call(t, ownerCaller, 'get', `${evidencePath()}?q=zebra&kind=text`).expect(200);
      expect(texts.body.map((item: { title: string }) => item.title)).toEqual(['Aardvark notes']);
      await call(t, ownerCaller, 'get', `${evidencePath()}?kind=video`).expect(400);
    });
  });

  describe('reuse', () => {
    it('lists every answer a piece of evidence backs, across assessments', async () => {
      const evidence = await uploadFile(t, ownerCaller, slug(), pdf('risk register'), 'risk-register.pdf', { title: 'Risk register' });
      const uses: string[] = [];
      for (const name of ['Reuse Messenger', 'Reuse Photos']) {
        const service = await createService(t, ownerCaller, slug(), undefined, name);
        const assessment = await startAssessment(t, ownerCaller, slug(), { serviceId: service.id, monitoringBody: monitor.organization.slug });
        for (const answer of assessment.answers.filter((candidate) => candidate.evidenceRequired).slice(0, 3)) {
          await saveAnswer(t, ownerCaller, slug(), assessment.id, answer.requirementKey, 1, { claim: 'met', evidenceIds: [evidence.id] });
          uses.push(`${assessment.id} ${answer.requirementKey}`);
        }
      }
      const detail = (await call(t, ownerCaller, 'get', evidencePath(evidence.id)).expect(200)).body as EvidenceBody;
      expect(detail.usedBy.map((use) => `${use.assessmentId} ${use.requirementKey}`).sort()).toEqual(uses.sort());
      for (const use of detail.usedBy) expect(use).toMatchObject({ assessmentState: 'draft', assessment: expect.stringMatching(/^Reuse (Messenger|Photos)/) });
      // Unlinking an answer removes it from the list.
      const [assessmentId, key] = uses[0].split(' ');
      await saveAnswer(t, ownerCaller, slug(), assessmentId, key, 2, { claim: 'not_met', evidenceIds: [] });
      const after = (await call(t, ownerCaller, 'get', evidencePath(evidence.id)).expect(200)).body as EvidenceBody;
      expect(after.usedBy).toHaveLength(uses.length - 1);
    });
  });

  describe('who may see and change evidence', () => {
    let file: EvidenceBody;
    let link: EvidenceBody;

    beforeAll(async () => {
      file = await uploadFile(t, ownerCaller, slug(), pdf('confidential method'), 'method.pdf', { title: 'Detection method (confidential)' });
      link = await createLink(t, ownerCaller, slug(), { title: 'Confidential link' });
    });

    const routes = () => [
      { method: 'get' as const, path: '' },
      { method: 'post' as const, path: '', json: { kind: 'link', title: 'Planted', url: 'https://example.org/planted' } },
      { method: 'post' as const, path: '', file: true },
      { method: 'get' as const, path: `/${file.id}` },
      { method: 'patch' as const, path: `/${file.id}`, json: { title: 'Renamed by an outsider', version: 1 } },
      { method: 'post' as const, path: `/${file.id}/revisions`, file: true },
      { method: 'post' as const, path: `/${link.id}/revisions`, json: { url: 'https://example.org/planted' } },
      { method: 'get' as const, path: `/${file.id}/revisions/1` },
      { method: 'get' as const, path: `/${file.id}/revisions/1/content` },
    ];

    const send = (who: Caller, organization: string, route: ReturnType<typeof routes>[number]) => {
      const path = `${orgPath(organization)}/evidence${route.path}`;
      if (route.file) return uploadRequest(t, who, path, pdf('planted'), 'planted.pdf', route.path === '' ? { title: 'Planted file' } : {});
      const test = call(t, who, route.method, path);
      return route.json ? test.send(route.json) : test;
    };

    it('answers 404, as for a missing organization, to another provider and a monitoring body on every route', async () => {
      const outsiders: Array<{ name: string; who: Caller }> = [
        { name: 'another provider (session)', who: asCaller(other) },
        { name: 'another provider (read token)', who: { token: await createToken(other, ['read']) } },
        { name: 'another provider (write token)', who: { token: await createToken(other, ['write']) } },
        { name: 'the monitoring body (session)', who: asCaller(monitor) },
        { name: 'the monitoring body (write token)', who: { token: await createToken(monitor, ['write']) } },
      ];
      const before = await footprint();
      for (const { name, who } of outsiders) {
        for (const route of routes()) {
          const response = await send(who, slug(), route);
          const label = `${route.method} ${route.path}${route.file ? ' (file)' : ''}`;
          expect({ name, label, status: response.status, body: response.body }).toEqual({ name, label, status: 404, body: NO_SUCH_ORGANIZATION });
        }
      }
      expect(await footprint()).toEqual(before);
      expect((await call(t, ownerCaller, 'get', evidencePath(file.id)).expect(200)).body).toMatchObject({ title: 'Detection method (confidential)', version: 1 });
    });

    it('answers 404 when another provider names the evidence under its own organization', async () => {
      const before = await footprint();
      for (const route of routes().filter((candidate) => candidate.path !== '')) {
        const response = await send(asCaller(other), other.organization.slug, route);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
        expect(JSON.stringify(response.body)).not.toContain('confidential');
      }
      // Whatever a rejected revision upload staged is gone again.
      expect(filesUnder(stagingDir())).toEqual([]);
      expect((await footprint()).rows).toEqual(before.rows);
    });

    it('lets a viewer and a read token read, but not write (403)', async () => {
      const readToken: Caller = { token: await createToken(owner, ['read']) };
      const before = await footprint();
      for (const who of [asCaller(viewer), readToken]) {
        for (const route of routes()) {
          const response = await send(who, slug(), route);
          const label = `${route.method} ${route.path}${route.file ? ' (file)' : ''}`;
          expect({ label, status: response.status }).toEqual({ label, status: route.method === 'get' ? 200 : 403 });
        }
      }
      expect(await footprint()).toEqual(before);
    });

    it('refuses a monitoring body its own evidence library (403)', async () => {
      const path = `${orgPath(monitor.organization.slug)}/evidence`;
      await call(t, asCaller(monitor), 'get', path).expect(403);
      await call(t, asCaller(monitor), 'post', path).send({ kind: 'link', title: 'Monitor link', url: 'https://example.org/' }).expect(403);
      const token: Caller = { token: await createToken(monitor, ['write']) };
      await call(t, token, 'post', path).send({ kind: 'link', title: 'Monitor link', url: 'https://example.org/' }).expect(403);
      const before = await footprint();
      await uploadRequest(t, token, path, pdf('monitor'), 'monitor.pdf', { title: 'Monitor file' }).expect(403);
      expect(await footprint()).toEqual(before);
      expect(await t.sql('SELECT id FROM evidence WHERE organization_id = $1', [monitor.organization.id])).toEqual([]);
    });

    it('lets a write token add evidence and revisions', async () => {
      const token: Caller = { token: writeToken };
      const created = await uploadFile(t, token, slug(), pdf('by a script'), 'script.pdf');
      await uploadRequest(t, token, `${evidencePath(created.id)}/revisions`, pdf('by a script, again'), 'script-2.pdf').expect(201);
      const [row] = await t.sql('SELECT created_by FROM evidence WHERE id = $1', [created.id]);
      expect(row).toEqual({ created_by: null });
    });
  });
});
