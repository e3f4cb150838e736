import { BadRequestException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { smallFileReader } from '../common/web/small-file-reader';

const readFile = smallFileReader({ maxBytes: 5 * 1024 * 1024, what: 'An answers file' });

/**
 * The CSV file of the import form, read once the access guard has let the request in. Kept on the
 * request: a handler run again after a collision finds it there, the body having been read.
 */
export async function readAnswersFile(request: Request, response: Response): Promise<string> {
  if (!request.file) await readFile(request, response);
  if (!request.file) throw new BadRequestException('Choose the CSV file to import.');
  return request.file.buffer.toString('utf8');
}
