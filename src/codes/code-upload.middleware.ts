import type { NextFunction, Request, Response } from 'express';
import { smallFileReader } from '../common/web/small-file-reader';

export const CODE_FILE_LIMIT = 1024 * 1024;

const readCodeFile = smallFileReader({ maxBytes: CODE_FILE_LIMIT, what: 'A code file' });

/**
 * Reads the operator's import form, which carries the YAML file as multipart data, before the access
 * guard runs: the form's CSRF token is one of its fields. Code files are small and capped at 1 MB.
 */
export function codeUpload(request: Request, response: Response, next: NextFunction): void {
  if (!request.is('multipart/form-data')) return next();
  readCodeFile(request, response).then(() => next(), next);
}
