import fc from 'fast-check';

/**
 * Values a careless or hostile client might send in any field: wrong types, edge numbers, long and
 * odd text, NUL, prototype keys, nested JSON, plus the `words` and `more` that mean something to the
 * endpoint under test.
 */
export function awkwardValues(words: readonly string[], ...more: Array<fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom(2 ** 31, -1, 0, 1.5, Number.MAX_SAFE_INTEGER),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ maxLength: 3_000 }),
    fc.constantFrom('__proto__', 'constructor', '', ' ', 'nul\u0000inside', ...words),
    fc.uuid(),
    ...more,
    fc.jsonValue({ maxDepth: 3 }),
  );
}
