import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppConfig } from '../src/config/app-config.service';
import { Environment, validateEnvironment } from '../src/config/environment';
import { InvalidEvidenceKey } from '../src/evidence/storage/evidence-key';
import { EvidenceObjectMissing } from '../src/evidence/storage/evidence-object-missing.error';
import { EvidenceStorage, StagedFile } from '../src/evidence/storage/evidence-storage';
import { EvidenceStorageModule } from '../src/evidence/storage/evidence-storage.module';
import { FilesystemEvidenceStorage } from '../src/evidence/storage/filesystem-evidence-storage';
import { S3EvidenceStorage } from '../src/evidence/storage/s3-evidence-storage';
import { UploadReceiver } from '../src/evidence/upload/upload-receiver';
import { S3TestServer, startS3TestServer } from './support/s3-test-server';

@Module({})
class TestConfigModule {
  /** AppConfig over exactly `raw`, validated as at boot, without the process environment. */
  static with(raw: Record<string, string>): DynamicModule {
    const env = validateEnvironment(raw);
    const config = new AppConfig({ get: (key: string) => env[key as keyof typeof env] } as unknown as ConfigService<Environment, true>);
    return { module: TestConfigModule, global: true, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}

interface Driver {
  name: string;
  environment(dataDir: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

// The module object itself (an `import * as` namespace would be a copy), so a spy reaches the storage.
const fsPromises = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');

let s3: S3TestServer | undefined;

const drivers: Driver[] = [
  { name: 'filesystem', environment: async () => ({}), close: async () => {} },
  {
    name: 's3',
    async environment() {
      s3 = await startS3TestServer();
      return {
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
      };
    },
    close: async () => s3?.close(),
  },
];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe.each(drivers)('EvidenceStorage on $name', (driver) => {
  let dataDir: string;
  let moduleRef: TestingModule;
  let storage: EvidenceStorage;
  const org = randomUUID();
  const otherOrg = randomUUID();

  /** A staging file as the upload receiver leaves it. */
  async function stage(bytes: Buffer, contentType = 'application/pdf'): Promise<StagedFile> {
    const directory = join(dataDir, 'uploads');
    await mkdir(directory, { recursive: true });
    const path = join(directory, randomUUID());
    await writeFile(path, bytes, { mode: 0o600 });
    return { path, sha256: sha256(bytes), size: bytes.length, contentType, fileName: 'evidence.pdf' };
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'adhere-storage-'));
    const environment = { DATA_DIR: dataDir, ...(await driver.environment(dataDir)) };
    moduleRef = await Test.createTestingModule({ imports: [TestConfigModule.with(environment), EvidenceStorageModule] }).compile();
    await moduleRef.init();
    storage = moduleRef.get(EvidenceStorage);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await driver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is the driver that STORAGE_DRIVER names, next to the upload receiver', () => {
    expect(storage).toBeInstanceOf(driver.name === 's3' ? S3EvidenceStorage : FilesystemEvidenceStorage);
    expect(moduleRef.get(UploadReceiver)).toBeInstanceOf(UploadReceiver);
  });

  it('stores a new file, removes the staging file, and gives back the exact bytes', async () => {
    const bytes = randomBytes(300_000);
    const file = await stage(bytes);
    await expect(storage.put(org, file)).resolves.toEqual({ created: true });
    expect(existsSync(file.path)).toBe(false);
    await expect(storage.exists(org, file.sha256)).resolves.toBe(true);
    expect((await readAll(await storage.open(org, file.sha256))).equals(bytes)).toBe(true);
  });

  it('stores the same bytes once: a second put only removes its staging file', async () => {
    const bytes = randomBytes(1000);
    await expect(storage.put(org, await stage(bytes))).resolves.toEqual({ created: true });
    const again = await stage(bytes);
    await expect(storage.put(org, again)).resolves.toEqual({ created: false });
    expect(existsSync(again.path)).toBe(false);
    expect((await readAll(await storage.open(org, again.sha256))).equals(bytes)).toBe(true);
  });

  it("keeps each organization's objects apart", async () => {
    const bytes = randomBytes(2000);
    await storage.put(org, await stage(bytes));
    await expect(storage.exists(otherOrg, sha256(bytes))).resolves.toBe(false);
    await expect(storage.open(otherOrg, sha256(bytes))).rejects.toBeInstanceOf(EvidenceObjectMissing);
    await expect(storage.put(otherOrg, await stage(bytes))).resolves.toEqual({ created: true });
    await storage.remove(otherOrg, sha256(bytes));
    await expect(storage.exists(org, sha256(bytes))).resolves.toBe(true);
  });

  it('streams a file of several megabytes', async () => {
    const bytes = randomBytes(6 * 1024 * 1024 + 17);
    const file = await stage(bytes);
    await storage.put(org, file);
    const read = await readAll(await storage.open(org, file.sha256));
    expect(read.length).toBe(bytes.length);
    expect(sha256(read)).toBe(file.sha256);
  });

  it('removes an object, and removing it again is no error', async () => {
    const file = await stage(randomBytes(500));
    await storage.put(org, file);
    await storage.remove(org, file.sha256);
    await expect(storage.exists(org, file.sha256)).resolves.toBe(false);
    await expect(storage.remove(org, file.sha256)).resolves.toBeUndefined();
  });

  it('says EvidenceObjectMissing for an object that is not there', async () => {
    const missing = sha256(randomBytes(8));
    await expect(storage.exists(org, missing)).resolves.toBe(false);
    const error = await storage.open(org, missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EvidenceObjectMissing);
    expect(error).toMatchObject({ organizationId: org, sha256: missing });
  });

  it.each([
    ['a relative path', '../../etc', 'a'.repeat(64)],
    ['an upper-case UUID', org.toUpperCase(), 'a'.repeat(64)],
    ['an empty id', '', 'a'.repeat(64)],
    ['a short hash', org, 'abc'],
    ['a hash with a slash', org, `${'a'.repeat(62)}/x`],
    ['an upper-case hash', org, 'A'.repeat(64)],
    ['a traversing hash', org, `../${'a'.repeat(61)}`],
  ])('refuses %s before touching storage', async (_name, organizationId, hash) => {
    await expect(storage.exists(organizationId, hash)).rejects.toBeInstanceOf(InvalidEvidenceKey);
    await expect(storage.open(organizationId, hash)).rejects.toBeInstanceOf(InvalidEvidenceKey);
    await expect(storage.remove(organizationId, hash)).rejects.toBeInstanceOf(InvalidEvidenceKey);
    const file = { ...(await stage(Buffer.from('x'))), sha256: hash };
    await expect(storage.put(organizationId, file)).rejects.toBeInstanceOf(InvalidEvidenceKey);
    expect(existsSync(file.path)).toBe(false);
  });

  if (driver.name === 'filesystem') {
    describe('on disk', () => {
      it('keeps files under <DATA_DIR>/evidence/<org>/<first two hex>/<sha256>, readable only by the service', async () => {
        const file = await stage(randomBytes(100));
        await storage.put(org, file);
        const stored = join(dataDir, 'evidence', org, file.sha256.slice(0, 2), file.sha256);
        expect((await stat(stored)).mode & 0o777).toBe(0o600);
      });

      it('copies through a temporary name when staging is on another filesystem', async () => {
        const link = jest.spyOn(fsPromises, 'link').mockRejectedValueOnce(Object.assign(new Error('cross-device link'), { code: 'EXDEV' }));
        try {
          const bytes = randomBytes(4000);
          const file = await stage(bytes);
          await expect(storage.put(org, file)).resolves.toEqual({ created: true });
          expect(existsSync(file.path)).toBe(false);
          const folder = join(dataDir, 'evidence', org, file.sha256.slice(0, 2));
          const names = await readdir(folder);
          expect(names).toContain(file.sha256);
          expect(names.filter((name) => name.startsWith('.'))).toEqual([]);
          expect((await readAll(await storage.open(org, file.sha256))).equals(bytes)).toBe(true);
          expect(link).toHaveBeenCalledTimes(2);
        } finally {
          link.mockRestore();
        }
      });

      it('renames where hard links are not supported, still without replacing a stored file', async () => {
        const link = jest.spyOn(fsPromises, 'link').mockRejectedValue(Object.assign(new Error('not permitted'), { code: 'EPERM' }));
        try {
          const bytes = randomBytes(3000);
          const file = await stage(bytes);
          await expect(storage.put(org, file)).resolves.toEqual({ created: true });
          const again = await stage(bytes);
          await expect(storage.put(org, again)).resolves.toEqual({ created: false });
          expect(existsSync(file.path) || existsSync(again.path)).toBe(false);
          expect(link).toHaveBeenCalledTimes(2);
        } finally {
          link.mockRestore();
        }
      });

      it('gives two racing puts of the same bytes one created and one not', async () => {
        const bytes = randomBytes(5000);
        const results = await Promise.all([storage.put(org, await stage(bytes)), storage.put(org, await stage(bytes))]);
        expect(results.map((result) => result.created).sort()).toEqual([false, true]);
      });
    });
  }

  if (driver.name === 's3') {
    describe('in the bucket', () => {
      it('fails a put whose staging file cannot be read, without an unhandled stream error', async () => {
        const directory = join(dataDir, 'uploads', 'not-a-file');
        await mkdir(directory, { recursive: true });
        const file = { ...(await stage(Buffer.from('x'))), path: directory };
        await expect(storage.put(org, file)).rejects.toThrow();
        await expect(storage.exists(org, file.sha256)).resolves.toBe(false);
        await rm(directory, { recursive: true, force: true });
      });

      it('stores evidence/<org>/<sha256> with the detected type and the hash', async () => {
        const file = await stage(randomBytes(700), 'image/png');
        await storage.put(org, file);
        const client = new S3Client({
          endpoint: s3!.endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: s3!.accessKeyId, secretAccessKey: s3!.secretAccessKey },
        });
        try {
          const head = await client.send(new HeadObjectCommand({ Bucket: s3!.bucket, Key: `evidence/${org}/${file.sha256}` }));
          expect(head).toMatchObject({ ContentLength: 700, ContentType: 'image/png', Metadata: { sha256: file.sha256 } });
        } finally {
          client.destroy();
        }
      });
    });
  }
});
