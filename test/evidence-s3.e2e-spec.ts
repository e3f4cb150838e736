import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startS3TestServer, S3TestServer } from './support/s3-test-server';
import { Actor, createTestApp, TestApp } from './support/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (Stored in S3) >> endobj\n%%EOF\n');

/** With STORAGE_DRIVER=s3 the whole evidence journey runs against an S3-compatible store. */
describe('evidence kept in an S3-compatible store', () => {
  let s3: S3TestServer;
  let t: TestApp;
  let owner: Actor;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startS3TestServer();
    t = await createTestApp({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    });
    owner = await t.signUp({ organization: 'Cloud Provider' });
    client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  });
  afterAll(async () => {
    client?.destroy();
    await t?.close();
    await s3?.close();
  });

  it('stores an upload in the bucket under the organization and its hash, and serves it back', async () => {
    const api = `/api/v1/orgs/${owner.organization.slug}/evidence`;
    const created = await owner.agent.post(api).set('X-CSRF-Token', owner.csrf).field('title', 'Cloud licence').field('confirmation', 'true').attach('file', PDF, 'licence.pdf').expect(201);
    const sha256 = createHash('sha256').update(PDF).digest('hex');
    expect(created.body.revision).toMatchObject({ number: 1, sha256, size: PDF.length, contentType: 'application/pdf' });

    const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `evidence/${owner.organization.id}/${sha256}` }));
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(PDF);
    // Nothing is kept on the local disk: not in storage, not in staging.
    const dataDir = process.env.DATA_DIR!;
    expect(existsSync(join(dataDir, 'evidence'))).toBe(false);
    expect(existsSync(join(dataDir, 'uploads')) ? readdirSync(join(dataDir, 'uploads')) : []).toEqual([]);

    const download = await owner.agent.get(`${api}/${created.body.id}/revisions/1/content`).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe('attachment; filename=licence.pdf');
    expect(download.body).toEqual(PDF);
  });
});
