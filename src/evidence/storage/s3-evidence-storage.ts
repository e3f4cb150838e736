import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { OnModuleDestroy } from '@nestjs/common';
import { open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { assertEvidenceKey } from './evidence-key';
import { EvidenceObjectMissing } from './evidence-object-missing.error';
import { EvidenceStorage, StagedFile } from './evidence-storage';

/** Evidence as objects `evidence/<organizationId>/<sha256>` in one bucket of an S3-compatible store. */
export class S3EvidenceStorage extends EvidenceStorage implements OnModuleDestroy {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    super();
  }

  async put(organizationId: string, file: StagedFile): Promise<{ created: boolean }> {
    try {
      const key = this.keyOf(organizationId, file.sha256);
      if (await this.exists(organizationId, file.sha256)) return { created: false };
      await this.upload(key, file);
      return { created: true };
    } finally {
      await rm(file.path, { force: true });
    }
  }

  /** Streams the staging file to the bucket; it is never read into memory. */
  private async upload(key: string, file: StagedFile): Promise<void> {
    // Opened first so that a missing file fails here, before any request.
    const body = (await open(file.path, 'r')).createReadStream();
    // The SDK pipes the body without listening for its errors: a failed read must end the request
    // (which would otherwise wait for the missing bytes) and not the process.
    const abort = new AbortController();
    let readError: unknown;
    body.once('error', (error) => {
      readError = error;
      abort.abort(error);
    });
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          // With the length known the SDK sends the body as it is, without buffering or chunked encoding.
          ContentLength: file.size,
          ContentType: file.contentType,
          // The store checks the bytes it received against it (where it supports checksums); the
          // metadata copy keeps the hash readable on stores that ignore the header.
          ChecksumSHA256: Buffer.from(file.sha256, 'hex').toString('base64'),
          Metadata: { sha256: file.sha256 },
        }),
        { abortSignal: abort.signal },
      );
    } catch (error) {
      throw readError ?? error;
    } finally {
      body.destroy();
    }
  }

  async open(organizationId: string, sha256: string): Promise<Readable> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(organizationId, sha256) }));
      // In Node the body is the HTTP response itself, a Readable.
      return object.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new EvidenceObjectMissing(organizationId, sha256);
      throw error;
    }
  }

  async exists(organizationId: string, sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(organizationId, sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async remove(organizationId: string, sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(organizationId, sha256) }));
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }

  private keyOf(organizationId: string, sha256: string): string {
    assertEvidenceKey(organizationId, sha256);
    return `evidence/${organizationId}/${sha256}`;
  }
}

// Compatible stores differ in the error name (NoSuchKey, NotFound, …) but all answer 404.
function isNotFound(error: unknown): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;
}
