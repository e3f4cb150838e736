import { Transform } from 'class-transformer';

/**
 * Numbers and dates that arrive as text (a form field, a query parameter) are converted for the
 * validators that follow to judge; any other value is left as sent for them to refuse.
 * `@Type(() => Number)` converts whatever arrives, and converting an object whose `toString` is not a
 * function (`{"toString": 0}`) throws, which ended as a server error instead of a 400 naming the field.
 */
export const NumberFromText = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? Number(value) : value));

export const DateFromText = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? new Date(value) : value));

/**
 * A number from a query string or a form filter: as NumberFromText, except that an empty field (a
 * filter left unchosen) is no value, where `Number('')` would make it 0.
 */
export const QueryNumber = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value.trim())) : value));

/**
 * A yes/no from a form: a checkbox comes with a hidden "false" before it, so a ticked box sends both and
 * the last one counts. JSON booleans pass as sent; anything else is left for the validators to refuse.
 */
export const BooleanFromText = () =>
  Transform(({ value }: { value: unknown }) => {
    const last = Array.isArray(value) && value.length > 0 ? value[value.length - 1] : value;
    return last === 'true' ? true : last === 'false' ? false : last;
  });
