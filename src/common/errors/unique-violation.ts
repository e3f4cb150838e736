import { QueryFailedError } from 'typeorm';

/** True when `error` is PostgreSQL refusing a row because the unique index `index` already has its key. */
export function violatesUniqueIndex(error: unknown, ...indexes: string[]): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const { code, constraint } = error.driverError as { code?: string; constraint?: string };
  return code === '23505' && constraint !== undefined && indexes.includes(constraint);
}
