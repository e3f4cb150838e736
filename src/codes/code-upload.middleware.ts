import { PayloadTooLargeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';

export const CODE_FILE_LIMIT = 1024 * 1024;

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: CODE_FILE_LIMIT, files: 1, fields: 10 } }).single('file');

/**
 * Reads the operator's import form, which carries the YAML file as multipart data, before the access
 * guard runs: the form's CSRF token is one of its fields. Code files are small and capped at 1 MB.
 */
export function codeUpload(request: Request, response: Response, next: NextFunction): void {
  if (!request.is('multipart/form-data')) return next();
  upload(request, response, (error: unknown) => {
    if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
      return next(new PayloadTooLargeException(`A code file may be at most ${CODE_FILE_LIMIT / 1024} KB.`));
    }
    next(error);
  });
}
