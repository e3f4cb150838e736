import { Transform } from 'class-transformer';

/**
 * A number from a query string or a form: an empty field (a filter left unchosen) is no value, and
 * anything else is converted for the validators that follow to judge. `@Type(() => Number)` would
 * turn the empty field into 0.
 */
export const QueryNumber = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value.trim())) : value));
