/**
 * How many values of a list one statement looks up at most. A list whose length the caller chooses
 * (evidence ids in a file, answers in a save) is looked up in batches of this size, so that no
 * statement nears PostgreSQL's limit of 65,535 bind parameters or grows with the request.
 */
export const LOOKUP_BATCH = 1_000;

/** Runs `lookup` on `values` in batches of `size` and joins what the batches found, in their order. */
export async function inBatches<T, R>(values: readonly T[], lookup: (batch: T[]) => Promise<R[]>, size = LOOKUP_BATCH): Promise<R[]> {
  const found: R[] = [];
  for (let start = 0; start < values.length; start += size) found.push(...(await lookup(values.slice(start, start + size))));
  return found;
}
