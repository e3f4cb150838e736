/** A verification id people can read out and search for: year, level and a number within the year, e.g. 2026-L2-0042. */
export function formatVerificationId(year: number, level: number, number: number): string {
  return `${year}-L${level}-${String(number).padStart(4, '0')}`;
}
