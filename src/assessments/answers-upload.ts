import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';

const ANSWERS_FILE_LIMIT = 5 * 1024 * 1024;

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: ANSWERS_FILE_LIMIT, files: 1, fields: 5 } }).single('file');

/** The CSV file of the import form, read once the access guard has let the request in. */
export function readAnswersFile(request: Request, response: Response): Promise<string> {
  return new Promise((resolve, reject) => {
    upload(request, response, (error: unknown) => {
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
        return reject(new PayloadTooLargeException(`An answers file may be at most ${ANSWERS_FILE_LIMIT / 1024 / 1024} MB.`));
      }
      if (error) return reject(error instanceof multer.MulterError ? new BadRequestException(`The upload could not be read: ${error.message}`) : error);
      if (!request.file) return reject(new BadRequestException('Choose the CSV file to import.'));
      resolve(request.file.buffer.toString('utf8'));
    });
  });
}
