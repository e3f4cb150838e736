import { DataSource, Migration } from 'typeorm';

// Any constant will do, as long as every instance uses the same one.
const MIGRATION_LOCK = 7_166_010_101;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so that several instances
 * starting together apply each migration once, one after the other.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
