import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import type { RevisionContent } from './evidence-content';

/**
 * Sends a revision as an attachment of its stored type, which the browser may not second-guess: an
 * uploaded HTML or SVG file must never render as a page of this site.
 */
export function download(response: Response, { revision, stream }: RevisionContent, fallbackName: string): StreamableFile {
  response.attachment(revision.fileName ?? fallbackName);
  response.set({
    'Content-Type': revision.contentType,
    'Content-Length': String(revision.size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    ETag: `"${revision.sha256}"`,
  });
  return new StreamableFile(stream);
}
