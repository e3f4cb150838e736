import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Request } from 'express';
import multer from 'multer';
import { join } from 'node:path';
import { DEFAULT_EVIDENCE_POLICY, type AppliedEvidencePolicy } from '../../codes/document/evidence-policy';
import { AppConfig } from '../../config/app-config.service';
import { InvalidInputException } from '../../common/validation/invalid-input.exception';
import { nulInputError, pathWithNul } from '../../common/validation/nul-character';
import { removeStaleStagingFiles } from './stale-staging-files';
import { StagingStorage, type ReceivedFile } from './staging-storage';
import { UploadAbortedException } from './upload-aborted.exception';
import { missingFile, toUploadException } from './upload-errors';
import { MAX_FIELD_BYTES, MAX_FIELD_NAME_BYTES, MAX_FIELDS } from './upload-limits';

const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface ReceivedUpload {
  file: ReceivedFile;
  /** The form's text fields, as sent; the caller validates them. */
  fields: Record<string, string>;
}

/**
 * Reads an evidence upload: a multipart/form-data body with exactly one file in the field `file` and
 * a few text fields. The file streams to a staging file under `<DATA_DIR>/uploads` while it is hashed
 * and its type is checked; it is never held in memory. On any failure, a client that went away
 * included, the staging file is gone before the returned promise settles.
 */
@Injectable()
export class UploadReceiver implements OnApplicationBootstrap {
  private readonly logger = new Logger(UploadReceiver.name);

  constructor(private readonly config: AppConfig) {}

  private get stagingDir(): string {
    return join(this.config.dataDir, 'uploads');
  }

  /** Clears what uploads cut short by a crash or a kill left behind; never fails the start. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const removed = await removeStaleStagingFiles(this.stagingDir, STALE_AFTER_MS);
      if (removed > 0) this.logger.warn(`Removed ${removed} abandoned upload staging file(s) from ${this.stagingDir}`);
    } catch (error) {
      this.logger.warn(`Could not clear abandoned upload staging files from ${this.stagingDir}: ${error}`);
    }
  }

  /** Receives the upload, refusing a file whose type `policy` does not accept before any more of it is written. */
  async receive(request: Request, policy: AppliedEvidencePolicy = DEFAULT_EVIDENCE_POLICY): Promise<ReceivedUpload> {
    if (!request.is('multipart/form-data')) throw missingFile();
    // A guard or interceptor may have awaited long enough for the client to leave; a closed request
    // would never emit the events the parser waits for.
    if (request.destroyed) throw new UploadAbortedException();
    if (request.readableEnded) throw new Error('The request body was already read before the upload receiver ran.');

    const maxBytes = this.config.uploadMaxBytes;
    const staging = new StagingStorage(this.stagingDir, maxBytes, policy);
    try {
      await parse(request, staging, maxBytes);
      const file = request.file as (Express.Multer.File & ReceivedFile) | undefined;
      if (!file) throw missingFile();
      const { path, sha256, md5, size, contentType, fileName } = file;
      return { file: { path, sha256, md5, size, contentType, fileName }, fields: textFields(request.body) };
    } catch (error) {
      await staging.discardAll();
      throw toUploadException(staging.refused ?? error, request, maxBytes);
    }
  }
}

async function parse(request: Request, staging: StagingStorage, maxBytes: number): Promise<void> {
  const upload = multer({
    storage: staging,
    // Browsers send file names as raw UTF-8, not in busboy's default latin1.
    defParamCharset: 'utf8',
    limits: {
      fileSize: maxBytes,
      files: 1,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      fieldNameSize: MAX_FIELD_NAME_BYTES,
      parts: MAX_FIELDS + 1,
    },
  }).single('file');
  try {
    await new Promise<void>((resolve, reject) => {
      // multer never touches the response.
      upload(request, undefined as never, (error: unknown) => (error ? reject(error) : resolve()));
    });
  } finally {
    // On a client abort multer answers at once; the engine may still be closing or removing its file.
    await staging.settled();
  }
}

function textFields(body: unknown): Record<string, string> {
  const entries = Object.entries((body ?? {}) as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (typeof value !== 'string') throw new InvalidInputException({ [name]: [`${name} must be sent once, as plain text`] });
  }
  // fromEntries defines own properties, so a field named __proto__ is just a field. A form's CSRF
  // token, if it came as a field, was the access guard's business and is no field of the upload.
  const fields = Object.fromEntries(entries.filter(([name]) => name !== '_csrf')) as Record<string, string>;
  const withNul = pathWithNul(fields);
  if (withNul) throw nulInputError(withNul);
  return fields;
}
