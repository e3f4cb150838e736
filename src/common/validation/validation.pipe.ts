import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { InvalidInputException } from './invalid-input.exception';
import { nulInputError, pathWithNul } from './nul-character';

/**
 * Strips nothing silently: unknown fields are refused, and every problem is reported by field. Path
 * parameters are checked for the NUL character here; bodies and queries already were, by middleware.
 */
class InputValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata) {
    const path = metadata.type === 'param' ? pathWithNul(value, metadata.data ?? 'parameter') : undefined;
    if (path) throw nulInputError(path);
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => InvalidInputException.fromValidationErrors(errors),
  });
}

/** Validates a body that did not come through a route's parameters (e.g. the text fields of a multipart upload). */
export async function validateInput<T extends object>(type: new () => T, value: unknown): Promise<T> {
  return (await createValidationPipe().transform(value, { type: 'body', metatype: type })) as T;
}
