import { HttpStatus } from '@nestjs/common';
import { FieldErrors } from './field-errors';

/**
 * Base of every module's own exception. A module defines a string enum of codes and maps each code
 * to an HTTP status; the exception filter turns it into the JSON error, code included, or the re-rendered
 * form. Codes are `module.snake_case` and each is listed in the README's Errors section.
 */
export abstract class DomainException<Code extends string = string> extends Error {
  protected abstract readonly statusByCode: Record<Code, HttpStatus>;

  constructor(
    readonly code: Code,
    message: string,
    readonly details?: FieldErrors | Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Fields an API contract promises at the top of the error body, next to the standard ones. */
  extra?: Record<string, unknown>;

  get status(): HttpStatus {
    return this.statusByCode[this.code];
  }

  /** False only for a code forced past the type checker: the filter then fails loudly in tests. */
  get listed(): boolean {
    return this.statusByCode[this.code] !== undefined;
  }
}
