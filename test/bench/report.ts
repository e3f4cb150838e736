/**
 * The bench's one table: a row per figure an issue asked for, with the target as the issue states it,
 * what was measured, the reference measured in the same run, and whether the figure is within the
 * target. "Met" is a plain comparison, printed; nothing is asserted and the exit status never depends
 * on it.
 */
import { ms, type Summary } from './stats';

export interface FigureRow {
  figure: string;
  /** The target in the words, with the number. */
  target: string;
  database: string;
  measured: string;
  reference: string;
  /** Within the target; null where the issue set none (a figure only to note). */
  met: boolean | null;
}

/** "median 12.3 ms, p95 20.1 ms" of a summary of times. */
export const times = (summary: Summary, ...which: Array<'median' | 'p95' | 'p99'>) => which.map((key) => `${key} ${ms(summary[key])} ms`).join(', ');

/** The raw-SQL reference of a figure, or why there is none. */
export const sqlReference = (sql: Summary | string, ...which: Array<'median' | 'p95' | 'p99'>) => (typeof sql === 'string' ? `its SQL straight: ${sql}` : `its SQL straight: ${times(sql, ...which)}`);

export function figureTable(rows: FigureRow[]): string {
  const header = ['Figure', 'Target (issue)', 'Database', 'Measured', 'Reference (same run)', 'Met'];
  return table([header, ...rows.map((row) => [row.figure, row.target, row.database, row.measured, row.reference, row.met === null ? '—' : row.met ? 'yes' : 'no'])]);
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join(' │ ').trimEnd();
  return [line(rows[0]), widths.map((width) => '─'.repeat(width)).join('─┼─'), ...rows.slice(1).map(line)].join('\n');
}
