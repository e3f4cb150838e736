import { HttpException } from '@nestjs/common';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppliedEvidencePolicy } from '../../codes/document/evidence-policy';
import { DomainException } from '../../common/errors/domain.exception';
import type { StagedFile } from '../storage/evidence-storage';
import { detectContentType, SAMPLE_BYTES } from './detect-content-type';
import { isTextType } from '../../codes/document/evidence-file-types';
import { sanitizeFileName } from './file-name';
import { fileTooLarge } from './upload-limits';
import { Utf8Stream } from './utf8-stream';

/** A staged file with its MD5 too: some hash lists name files by it. */
export type ReceivedFile = StagedFile & { md5: string };

/**
 * A multer storage engine for one request. It streams the file into a fresh staging file, hashing and
 * counting on the way and judging the type from the first bytes before writing them; only the sample
 * is ever held in memory. It keeps track of what it wrote and of what is still running, so the
 * receiver can wait for it and leave nothing behind whatever went wrong.
 */
export class StagingStorage implements StorageEngine {
  private readonly written = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  private refusal: HttpException | DomainException | undefined;

  constructor(
    private readonly directory: string,
    private readonly maxBytes: number,
    private readonly policy: AppliedEvidencePolicy,
  ) {}

  _handleFile(_request: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    this.track(this.stage(file.stream, sanitizeFileName(file.originalname))).then(
      (staged) => callback(null, staged),
      (error) => callback(error),
    );
  }

  _removeFile(_request: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    this.track(this.discard(file.path)).then(() => callback(null), callback);
  }

  /**
   * Why this engine refused the file (type, size, empty), if it did. Stopping mid-file destroys
   * busboy's stream with an AbortError, which multer may report first; this is the reason to give.
   */
  get refused(): HttpException | DomainException | undefined {
    return this.refusal;
  }

  /** Resolves once nothing this engine started is still running. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Removes every staging file this engine wrote, after waiting for whatever is still writing. */
  async discardAll(): Promise<void> {
    await this.settled();
    await Promise.all([...this.written].map((path) => this.discard(path)));
  }

  private async stage(source: Readable, fileName: string): Promise<ReceivedFile> {
    let path: string | undefined;
    try {
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
      path = join(this.directory, randomUUID());
      // Opened before streaming starts, so a cleanup after an early failure cannot run before the
      // file exists.
      const handle = await open(path, 'wx', 0o600);
      this.written.add(path);
      const inspection = inspect(fileName, this.maxBytes, this.policy);
      await pipeline(source, inspection.transform, handle.createWriteStream({ flush: true }));
      return { path, ...inspection.result() };
    } catch (error) {
      if (error instanceof HttpException || error instanceof DomainException) this.refusal ??= error;
      source.destroy();
      if (path) await this.discard(path);
      throw error;
    }
  }

  private async discard(path: string): Promise<void> {
    await rm(path, { force: true });
    this.written.delete(path);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }
}

/**
 * The pipeline stage that hashes (SHA-256, and MD5 as hash lists also use it), counts and checks the
 * type against the policy; it holds back at most the sample.
 */
function inspect(fileName: string, maxBytes: number, policy: AppliedEvidencePolicy) {
  const hash = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  let contentType: string | undefined;

  // Set once the beginning read as text: the rest must be text too.
  let text: Utf8Stream | undefined;

  async function* transform(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let sample: Buffer[] = [];
    let sampled = 0;
    for await (const chunk of chunks) {
      size += chunk.length;
      // busboy stops at the limit too; counting here ends the write at once instead of at the part's end.
      if (size > maxBytes) throw fileTooLarge(maxBytes);
      hash.update(chunk);
      md5.update(chunk);
      if (contentType) {
        text?.check(chunk);
        yield chunk;
        continue;
      }
      sample.push(chunk);
      sampled += chunk.length;
      if (sampled >= SAMPLE_BYTES) {
        contentType = await detectContentType(Buffer.concat(sample), fileName, true, policy);
        if (isTextType(contentType)) {
          text = new Utf8Stream();
          text.check(Buffer.concat(sample));
        }
        yield* sample;
        sample = [];
      }
    }
    if (!contentType) {
      contentType = await detectContentType(Buffer.concat(sample), fileName, false, policy);
      yield* sample;
    } else {
      text?.check(new Uint8Array(0), true);
    }
  }

  return {
    transform,
    result: () => ({ sha256: hash.digest('hex'), md5: md5.digest('hex'), size, contentType: contentType!, fileName }),
  };
}
