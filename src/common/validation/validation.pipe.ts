import { ValidationPipe } from '@nestjs/common';
import { InvalidInputException } from './invalid-input.exception';

/** Strips nothing silently: unknown fields are refused, and every problem is reported by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => InvalidInputException.fromValidationErrors(errors),
  });
}
