import { BadRequestException, HttpException } from '@nestjs/common';
import type { Request } from 'express';
import multer from 'multer';
import { DomainException } from '../../common/errors/domain.exception';
import { InvalidInputException } from '../../common/validation/invalid-input.exception';
import { isMalformedForm } from '../../common/web/small-file-reader';
import { UploadAbortedException } from './upload-aborted.exception';
import { fileTooLarge, MAX_FIELD_BYTES, MAX_FIELD_NAME_BYTES, MAX_FIELDS, describeBytes } from './upload-limits';

export function missingFile(): InvalidInputException {
  return new InvalidInputException({ file: ['file is required: send it as multipart/form-data in the field named file'] });
}

/** What the caller hears about a failed upload: a 4xx naming the field, or the server's own error unchanged. */
export function toUploadException(error: unknown, request: Request, maxBytes: number): unknown {
  if (error instanceof HttpException || error instanceof DomainException) return error;
  if (wasAborted(request)) return new UploadAbortedException();
  if (error instanceof multer.MulterError) return fromMulterError(error, maxBytes);
  if (isMalformedForm(error)) return new BadRequestException(`The form could not be read: ${error.message}.`);
  return error;
}

/** The socket closed before the body was complete. */
export function wasAborted(request: Request): boolean {
  return request.readableAborted || (request.destroyed && !request.complete);
}

function fromMulterError(error: multer.MulterError, maxBytes: number): HttpException {
  const field = error.field;
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return fileTooLarge(maxBytes);
    case 'LIMIT_FILE_COUNT':
      return new InvalidInputException({ file: ['file must be a single file; more than one was sent'] });
    case 'LIMIT_UNEXPECTED_FILE':
      return field && field !== 'file'
        ? new InvalidInputException({ [field]: [`${field} cannot carry a file; send the file in the field named file`] })
        : new InvalidInputException({ file: ['file must be a single file; more than one was sent'] });
    case 'LIMIT_FIELD_VALUE':
      return new InvalidInputException({ [field ?? 'field']: [`${field ?? 'a field'} must be at most ${describeBytes(MAX_FIELD_BYTES)} long`] });
    case 'LIMIT_FIELD_COUNT':
      return new BadRequestException(`At most ${MAX_FIELDS} text fields may accompany file.`);
    case 'LIMIT_FIELD_KEY':
      return new BadRequestException(`A field name is longer than ${MAX_FIELD_NAME_BYTES} bytes.`);
    default:
      return new BadRequestException(`The form could not be read: ${error.message}.`);
  }
}
