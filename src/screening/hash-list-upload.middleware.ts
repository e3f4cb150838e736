import express, { type NextFunction, type Request, type Response } from 'express';
import { smallFileReader } from '../common/web/small-file-reader';

/** About a million SHA-256 lines with a comment each. */
export const HASH_LIST_FILE_LIMIT = 96 * 1024 * 1024;

const readListFile = smallFileReader({ maxBytes: HASH_LIST_FILE_LIMIT, what: 'A hash list' });
const readListText = express.text({ type: 'text/plain', limit: HASH_LIST_FILE_LIMIT });

/**
 * Reads a hash list before the access guard runs: the page's form carries its CSRF token as a field of
 * the multipart body, and the API may send the list as a text/plain body.
 */
export function hashListUpload(request: Request, response: Response, next: NextFunction): void {
  if (request.is('multipart/form-data')) {
    readListFile(request, response).then(() => next(), next);
    return;
  }
  if (request.is('text/plain')) {
    readListText(request, response, next);
    return;
  }
  next();
}

/** The list's text from the upload: the file, the pasted text, or the text/plain body. */
export function listText(request: Request, pasted: string | undefined): string | undefined {
  if (request.file) return request.file.buffer.toString('utf8');
  if (typeof request.body === 'string') return request.body;
  return pasted;
}
