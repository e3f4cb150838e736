import { DataSource, Migration, MigrationExecutor } from 'typeorm';

// Any constant will do, as long as every instance uses the same one.
const MIGRATION_LOCK = 7_166_010_101;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so that several instances
 * starting together apply each migration once, one after the other. Lock and migrations share one
 * connection, which is all the embedded database offers.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return await executor.executePendingMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
