import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInputException } from './invalid-input.exception';
import { MAX_INTEGER } from './version.decorator';

/** A path parameter that counts something, such as a revision number: 1 up to what the database holds. */
@Injectable()
export class PositiveIntPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const number = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(number) || number < 1 || number > MAX_INTEGER) {
      const name = metadata.data ?? 'parameter';
      throw new InvalidInputException({ [name]: [`${name} must be a whole number from 1 to ${MAX_INTEGER}`] });
    }
    return number;
  }
}
