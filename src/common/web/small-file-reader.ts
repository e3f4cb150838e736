import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';

/**
 * Reads the one small file (field `file`) of a multipart form into memory, for forms whose file is
 * read whole anyway, such as a code version or an answers file. Evidence files are streamed instead.
 * A file over `maxBytes` is a 413; any other malformed upload a 400.
 */
export function smallFileReader(options: { maxBytes: number; what: string }) {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: options.maxBytes, files: 1, fields: 10 } }).single('file');
  return (request: Request, response: Response): Promise<void> =>
    new Promise((resolve, reject) =>
      upload(request, response, (error: unknown) => {
        if (!error) return resolve();
        if (isMalformedForm(error)) return reject(new BadRequestException(`The upload could not be read: ${error.message}.`));
        if (!(error instanceof multer.MulterError)) return reject(error);
        reject(
          error.code === 'LIMIT_FILE_SIZE'
            ? new PayloadTooLargeException(`${options.what} may be at most ${options.maxBytes / 1024} KB.`)
            : new BadRequestException(`The upload could not be read: ${error.message}`),
        );
      }),
    );
}

/**
 * busboy reports a malformed body ("Unexpected end of form", "Malformed part header", …) as a plain
 * Error; file system errors carry a code and stay server errors.
 */
export function isMalformedForm(error: unknown): error is Error {
  // By name, not instanceof: the error may come from another realm (a VM context, as in Jest).
  return typeof error === 'object' && error !== null && Object.getPrototypeOf(error)?.constructor?.name === 'Error' && !('code' in error);
}
