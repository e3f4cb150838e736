import { stringify, type Options, type Stringifier } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { neutraliseCell } from './formula-cells';

/**
 * The one way this service writes CSV: RFC 4180 (comma-separated, CRLF line ends, a field in double
 * quotes with inner quotes doubled when it holds a comma, quote or line break), a header line, and every
 * text cell neutralised against formulas (see neutraliseCell). Numbers are written as numbers.
 */
function options(header: readonly string[]): Options {
  return {
    header: true,
    columns: [...header],
    record_delimiter: '\r\n',
    cast: { string: (value) => neutraliseCell(value) },
  };
}

/** A cell: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | null | undefined;

/** A whole CSV file at once, for files small enough to build in memory. */
export function csvText(header: readonly string[], rows: readonly CsvCell[][]): string {
  return stringifySync(rows as CsvCell[][], options(header));
}

/** A CSV stream: write rows (arrays of cells in the header's order), read the text. */
export function csvStream(header: readonly string[]): Stringifier {
  return stringify(options(header));
}

/**
 * Writes rows to `output` as CSV while the reader keeps up: the next rows are asked of `rows` only when
 * the output has room for them, so a large file never sits in memory. Resolves when the file is
 * complete, or quietly when the reader went away first (the rows are not read further).
 */
export async function streamCsv(output: Writable, header: readonly string[], rows: AsyncIterable<CsvCell[]>): Promise<void> {
  try {
    await pipeline(Readable.from(rows), csvStream(header), output);
  } catch (error) {
    if (isPrematureClose(error)) return;
    throw error;
  }
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
