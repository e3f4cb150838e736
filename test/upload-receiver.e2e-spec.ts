import { HttpException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import express from 'express';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import request from 'supertest';
import { appliedPolicy } from '../src/codes/document/evidence-policy';
import { parseCodeDocument } from '../src/codes/document/parse-code-document';
import { AppConfig } from '../src/config/app-config.service';
import { Environment, validateEnvironment } from '../src/config/environment';
import { DomainException } from '../src/common/errors/domain.exception';
import { InvalidInputException } from '../src/common/validation/invalid-input.exception';
import { FilesystemEvidenceStorage } from '../src/evidence/storage/filesystem-evidence-storage';
import { UploadAbortedException } from '../src/evidence/upload/upload-aborted.exception';
import { ReceivedUpload, UploadReceiver } from '../src/evidence/upload/upload-receiver';

const LIMIT = 200_000;

const strictDocument = parseCodeDocument(readFileSync(join(__dirname, 'fixtures', 'codes', 'strict-evidence-1.0.0.yaml'), 'utf8'));
/** The policy of the CSEA detection tools code, as its test fixture declares it. */
const STRICT_POLICY = appliedPolicy((strictDocument.valid ? strictDocument.document.evidencePolicy : undefined)!, { code: 'strict-evidence', title: 'Strict Evidence Test Code', version: '1.0.0' });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// Minimal but valid files of each kind, built here: file-type's own fixtures are not installed.
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const framed = Buffer.alloc(body.length + 8);
    framed.writeUInt32BE(data.length, 0);
    body.copy(framed, 4);
    framed.writeUInt32BE(crc32(body), body.length + 4);
    return framed;
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]); // 1×1, 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 1), Buffer.from([0xff, 0xd9])]);
const cfb = () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
const elf = (size = 256) => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(size - 8, 0x90)]);
const exe = () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(0x3a), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(0x40), Buffer.from('PE\0\0'), Buffer.alloc(64)]);

/** A ZIP archive with stored (uncompressed) entries. */
function zip(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const fileName = Buffer.from(name);
    const data = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const docx = () =>
  zip([
    ['[Content_Types].xml', `<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="${DOCX_MAIN}.main+xml"/></Types>`],
    ['word/document.xml', '<w:document/>'],
  ]);

describe('UploadReceiver', () => {
  let dataDir: string;
  let server: http.Server;
  let port: number;
  /** What the last request's receive() settled with: the upload or the error. */
  let lastOutcome: Promise<ReceivedUpload | { error: unknown }>;

  const staging = () => join(dataDir, 'uploads');
  const stagingFiles = async () => readdir(staging()).catch(() => [] as string[]);
  const upload = () => request(server).post('/upload');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'adhere-upload-'));
    const env = validateEnvironment({ DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(LIMIT) });
    const receiver = new UploadReceiver(new AppConfig({ get: (key: string) => env[key as keyof typeof env] } as unknown as ConfigService<Environment, true>));
    const app = express();
    app.post(['/upload', '/upload-strict'], (req, res) => {
      lastOutcome = receiver.receive(req, req.path === '/upload-strict' ? STRICT_POLICY : undefined).catch((error: unknown) => ({ error }));
      void lastOutcome.then((outcome) => {
        if (res.destroyed) return;
        if (!('error' in outcome)) return res.status(200).json(outcome);
        const { error } = outcome;
        const status = error instanceof HttpException ? error.getStatus() : error instanceof DomainException ? error.status : 500;
        res.status(status).json({ message: (error as Error).message, details: error instanceof InvalidInputException ? error.fields : undefined });
      });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Successful uploads leave their staging file for EvidenceStorage.put; clear them between tests.
    await rm(staging(), { recursive: true, force: true });
  });

  describe('accepts evidence and stages it', () => {
    it('streams the file to a private staging file, hashed, with the text fields', async () => {
      const bytes = pdf();
      const response = await upload().field('title', 'Risk assessment').field('note', 'v2').attach('file', bytes, { filename: 'dpia.pdf', contentType: 'text/plain' }).expect(200);
      expect(response.body).toMatchObject({
        file: { sha256: sha256(bytes), size: bytes.length, contentType: 'application/pdf', fileName: 'dpia.pdf' },
        fields: { title: 'Risk assessment', note: 'v2' },
      });
      const { path } = response.body.file;
      expect(path.startsWith(staging())).toBe(true);
      expect((await readFile(path)).equals(bytes)).toBe(true);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });

    it.each([
      ['PNG', png(), 'pixel.png', 'image/png'],
      ['JPEG', jpeg(), 'photo.jpg', 'image/jpeg'],
      ['docx', docx(), 'policy.docx', DOCX_MAIN],
      ['ZIP', zip([['logs/a.txt', 'hello']]), 'logs.zip', 'application/zip'],
      ['legacy Word', cfb(), 'old.doc', 'application/msword'],
      ['legacy Excel', cfb(), 'old.XLS', 'application/vnd.ms-excel'],
      ['plain text', Buffer.from('We review every model each quarter.\n'), 'notes.txt', 'text/plain; charset=utf-8'],
      ['text without a name that says so', Buffer.from('Größe: 12 — ok\r\n'), 'README', 'text/plain; charset=utf-8'],
      ['CSV with a byte-order mark', Buffer.from('\ufeffid;name\n1;Ana\n'), 'people.csv', 'text/csv; charset=utf-8'],
      ['JSON', Buffer.from('{"licence":"restricted","reviewed":true}'), 'terms.json', 'application/json'],
    ])('%s', async (_kind, bytes, filename, contentType) => {
      const response = await upload().attach('file', bytes, { filename, contentType: 'application/octet-stream' }).expect(200);
      expect(response.body.file).toMatchObject({ contentType, sha256: sha256(bytes), size: bytes.length });
    });

    it('streams a file larger than the inspected sample, with a character cut at the sample edge', async () => {
      const bytes = Buffer.concat([Buffer.from('a'.repeat(64 * 1024 - 2)), Buffer.from('😀 and more text\n'.repeat(5000))]);
      const response = await upload().attach('file', bytes, { filename: 'large.csv' }).expect(200);
      expect(response.body.file).toMatchObject({ contentType: 'text/csv; charset=utf-8', size: bytes.length, sha256: sha256(bytes) });
      expect((await readFile(response.body.file.path)).equals(bytes)).toBe(true);
    });

    it('accepts a file of exactly the limit', async () => {
      const bytes = Buffer.alloc(LIMIT, 'x');
      const response = await upload().attach('file', bytes, { filename: 'limit.txt' }).expect(200);
      expect(response.body.file).toMatchObject({ size: LIMIT, sha256: sha256(bytes) });
    });

    it('leaves nothing in staging once the file is stored', async () => {
      const response = await upload().attach('file', pdf(), { filename: 'a.pdf' }).expect(200);
      const storage = new FilesystemEvidenceStorage(join(dataDir, 'evidence'));
      await expect(storage.put('0b7e7f0e-3c3a-4c5e-9a59-7d6b2f6b8a11', response.body.file)).resolves.toEqual({ created: true });
      expect(await stagingFiles()).toEqual([]);
    });
  });

  describe('file names', () => {
    it.each([
      ['..\\..\\Windows\\report "final".pdf', 'report final.pdf'],
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['Prüfbericht 2025.pdf', 'Prüfbericht 2025.pdf'],
      ['invoice\u202Efdp.txt', 'invoicefdp.txt'],
      ['   ', 'file'],
    ])('%j is kept as %j', async (filename, expected) => {
      const response = await upload().attach('file', pdf(), { filename }).expect(200);
      expect(response.body.file.fileName).toBe(expected);
    });
  });

  describe('refuses, and keeps nothing', () => {
    afterEach(async () => {
      expect(await stagingFiles()).toEqual([]);
    });

    it.each([
      ['an ELF executable', elf(), 'tool.pdf', 'application/x-elf'],
      ['a Windows executable', exe(), 'setup.txt', 'application/x-msdownload'],
      ['a Windows installer, which is CFB too', cfb(), 'setup.msi', 'application/x-cfb'],
      ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256)), 'data.bin', 'unrecognised binary'],
      ['text with a NUL byte', Buffer.from('looks like text\u0000but is not'), 'notes.txt', 'unrecognised binary'],
      ['Latin-1 text', Buffer.from('caf\xe9 cr\xe8me', 'latin1'), 'menu.txt', 'unrecognised binary'],
      ['XML', Buffer.from('<?xml version="1.0"?><a/>'), 'data.xml', 'application/xml'],
    ])('%s with 415', async (_kind, bytes, filename, named) => {
      const response = await upload().attach('file', bytes, { filename, contentType: 'application/pdf' }).expect(415);
      expect(response.body.message).toContain(named);
      expect(response.body.message).toContain('Accepted: PDF');
    });

    it.each([
      ['a picture', png(), 'shot.png', 'image/png'],
      ['a ZIP archive', zip([['a.txt', 'x']]), 'a.zip', 'application/zip'],
      ['a Word 97 document', cfb(), 'old.doc', 'application/msword'],
    ])('%s under a policy that refuses it, with 415 giving its guidance', async (_kind, bytes, filename, type) => {
      const response = await request(server).post('/upload-strict').attach('file', bytes, { filename }).expect(415);
      expect(response.body.message).toContain(`file is of type ${type}, which is not accepted as evidence under Strict Evidence Test Code 1.0.0.`);
      expect(response.body.message).toContain('Describe in words what the picture or recording shows');
    });

    it('a picture larger than the sample under a policy that refuses it, before the rest is written', async () => {
      await request(server).post('/upload-strict').attach('file', Buffer.concat([png(), Buffer.alloc(150_000)]), { filename: 'big.png' }).expect(415);
    });

    it('a forbidden type found in a file larger than the sample, while it streams', async () => {
      await upload().attach('file', elf(150_000), { filename: 'big.bin' }).expect(415);
    });

    it('a file one byte over the limit with 413 naming the field and the limit', async () => {
      const response = await upload().attach('file', Buffer.alloc(LIMIT + 1, 'x'), { filename: 'big.txt' }).expect(413);
      expect(response.body.message).toBe('file must be at most 195.31 KiB (200,000 bytes).');
    });

    it('a file far over the limit with 413', async () => {
      await upload().attach('file', Buffer.alloc(2 * 1024 * 1024, 'x'), { filename: 'huge.txt' }).expect(413);
    });

    it('a form without a file with 400 naming file', async () => {
      const response = await upload().field('title', 'No file').expect(400);
      expect(response.body.details).toEqual({ file: [expect.stringContaining('file is required')] });
    });

    it('a body that is not multipart with 400 naming file', async () => {
      const response = await upload().send({ file: 'x' }).expect(400);
      expect(Object.keys(response.body.details)).toEqual(['file']);
    });

    it('an empty file with 400', async () => {
      const response = await upload().attach('file', Buffer.alloc(0), { filename: 'empty.txt' }).expect(400);
      expect(response.body.details).toEqual({ file: ['file is empty'] });
    });

    it('two files with 400', async () => {
      const response = await upload().attach('file', pdf(), { filename: 'a.pdf' }).attach('file', pdf(), { filename: 'b.pdf' }).expect(400);
      expect(response.body.details).toEqual({ file: [expect.stringContaining('single file')] });
    });

    it('a file in another field with 400 naming it', async () => {
      const response = await upload().attach('attachment', pdf(), { filename: 'a.pdf' }).expect(400);
      expect(Object.keys(response.body.details)).toEqual(['attachment']);
    });

    it('more than 20 text fields with 400', async () => {
      let form = upload();
      for (let i = 0; i < 21; i++) form = form.field(`f${i}`, 'x');
      const response = await form.attach('file', pdf(), { filename: 'a.pdf' }).expect(400);
      expect(response.body.message).toContain('20 text fields');
    });

    it('a text field over 10 KiB with 400 naming it', async () => {
      const response = await upload().field('summary', 'x'.repeat(10 * 1024 + 1)).attach('file', pdf(), { filename: 'a.pdf' }).expect(400);
      expect(response.body.details).toEqual({ summary: ['summary must be at most 10 KiB long'] });
    });

    it('a text field sent twice with 400 naming it', async () => {
      const response = await upload().attach('file', pdf(), { filename: 'a.pdf' }).field('title', 'a').field('title', 'b').expect(400);
      expect(Object.keys(response.body.details)).toEqual(['title']);
    });

    it('a NUL character in a text field with 400 naming it', async () => {
      const response = await upload().attach('file', pdf(), { filename: 'a.pdf' }).field('title', 'a\u0000b').expect(400);
      expect(Object.keys(response.body.details)).toEqual(['title']);
    });

    it('a malformed multipart body with 400', async () => {
      await upload()
        .set('Content-Type', 'multipart/form-data; boundary=xyz')
        .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated')
        .expect(400);
    });
  });

  describe('a client that goes away', () => {
    const boundary = 'adhere-test-boundary';
    const partHead = (filename: string) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`);

    function openUpload(declaredLength: number): http.ClientRequest {
      const client = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/upload',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(declaredLength) },
      });
      client.on('error', () => undefined);
      return client;
    }

    async function until(condition: () => Promise<boolean>): Promise<void> {
      for (let tries = 0; tries < 200; tries++) {
        if (await condition()) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('condition not met within 2 s');
    }

    const stagedBytes = async () => {
      const [name] = await stagingFiles();
      return name ? (await stat(join(staging(), name))).size : 0;
    };

    it('mid-file: receive() rejects and the staging file is removed', async () => {
      const client = openUpload(1_000_000);
      client.write(partHead('abandoned.txt'));
      client.write(Buffer.alloc(100_000, 'a'));
      await until(async () => (await stagedBytes()) > 0);
      client.destroy();
      expect(await lastOutcome).toEqual({ error: expect.any(UploadAbortedException) });
      expect(await stagingFiles()).toEqual([]);
    });

    it('while its first bytes are still being inspected', async () => {
      const client = openUpload(1_000_000);
      client.write(partHead('abandoned.txt'));
      client.write(Buffer.alloc(1000, 'a'));
      await until(async () => (await stagingFiles()).length === 1);
      client.destroy();
      expect(await lastOutcome).toEqual({ error: expect.any(UploadAbortedException) });
      expect(await stagingFiles()).toEqual([]);
    });

    it('over the limit: the staging file goes as soon as the limit is crossed, before the body ends', async () => {
      const client = openUpload(10_000_000);
      client.write(partHead('too-big.txt'));
      client.write(Buffer.alloc(100_000, 'a'));
      await until(async () => (await stagedBytes()) > 0);
      client.write(Buffer.alloc(LIMIT, 'a'));
      await until(async () => (await stagingFiles()).length === 0);
      client.destroy();
      expect(await lastOutcome).toEqual({ error: expect.objectContaining({ status: 413 }) });
    });
  });
});
