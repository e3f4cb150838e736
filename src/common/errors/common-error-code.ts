import { HttpStatus } from '@nestjs/common';

/**
 * Codes of the errors no module raises itself: the request as the framework read it, the database, and
 * faults. Modules' own codes live in their `*.exception.ts`; the README lists both.
 */
export enum CommonErrorCode {
  /** Fields that failed validation; `details` names each by its path. */
  Invalid = 'request.invalid',
  /** A body, form or upload that could not be read at all. */
  Malformed = 'request.malformed',
  /** No route answers this method and path. */
  NotFound = 'request.not_found',
  TooLarge = 'request.too_large',
  UnsupportedMediaType = 'request.unsupported_media_type',
  /** Two requests raced to create the same thing; the loser learns it exists. */
  Duplicate = 'database.duplicate',
  /** A guard in the database refused the change, e.g. to a published code version. */
  Refused = 'database.refused',
  Unavailable = 'database.unavailable',
  /** Published before codes were named `module.name`; clients read it, so it keeps its form. */
  TransactionConflict = 'TRANSACTION_CONFLICT',
  Internal = 'server.error',
  /** Raised only in tests: an error reached the filter with a code no table lists. */
  Unlisted = 'server.unlisted_code',
}

export const COMMON_STATUS_BY_CODE: Record<CommonErrorCode, HttpStatus> = {
  [CommonErrorCode.Invalid]: HttpStatus.BAD_REQUEST,
  [CommonErrorCode.Malformed]: HttpStatus.BAD_REQUEST,
  [CommonErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [CommonErrorCode.TooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [CommonErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [CommonErrorCode.Duplicate]: HttpStatus.CONFLICT,
  [CommonErrorCode.Refused]: HttpStatus.CONFLICT,
  [CommonErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [CommonErrorCode.TransactionConflict]: HttpStatus.CONFLICT,
  [CommonErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
  [CommonErrorCode.Unlisted]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** The code of an HTTP error the framework, a body parser or a module raised without one of its own. */
const CODE_BY_STATUS: Partial<Record<number, CommonErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: CommonErrorCode.Malformed,
  [HttpStatus.NOT_FOUND]: CommonErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: CommonErrorCode.TooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: CommonErrorCode.UnsupportedMediaType,
};

export function codeForStatus(status: number): CommonErrorCode | undefined {
  return CODE_BY_STATUS[status];
}
