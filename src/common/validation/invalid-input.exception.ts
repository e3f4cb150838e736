import { BadRequestException, ValidationError } from '@nestjs/common';
import { FieldErrors } from '../errors/field-errors';

/** A 400 whose details name every failing field by its path. */
export class InvalidInputException extends BadRequestException {
  constructor(readonly fields: FieldErrors) {
    super(`Invalid input: ${Object.keys(fields).join(', ')}`);
  }

  static fromValidationErrors(errors: ValidationError[]): InvalidInputException {
    return new InvalidInputException(flatten(errors));
  }
}

function flatten(errors: ValidationError[], parent = '', into: FieldErrors = {}): FieldErrors {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      into[path] = Object.entries(error.constraints).map(([constraint, message]) =>
        constraint === 'whitelistValidation' ? `${path} is not an accepted field` : message,
      );
    }
    if (error.children?.length) flatten(error.children, path, into);
  }
  return into;
}
