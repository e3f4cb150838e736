import { DataSource } from 'typeorm';
import { validateEnvironment } from '../config/environment';
import { EmbeddedPostgres } from './embedded-postgres';
import { MIGRATIONS_GLOB } from './migrations.path';
import { runMigrationsLocked } from './run-migrations';
import { resolve } from 'node:path';

/** `npm run migrate`: applies pending migrations to the configured (or embedded) database and exits. */
async function migrate(): Promise<void> {
  const env = validateEnvironment(process.env);
  const embedded = new EmbeddedPostgres();
  const connection = env.DATABASE_URL
    ? { url: env.DATABASE_URL }
    : { ...(await embedded.start(resolve(env.DATA_DIR))), username: 'postgres', database: 'postgres' };
  const dataSource = new DataSource({ type: 'postgres', ...connection, migrations: [MIGRATIONS_GLOB], extra: { max: 1 } });
  try {
    await dataSource.initialize();
    const applied = await runMigrationsLocked(dataSource);
    console.log(applied.length === 0 ? 'The database is up to date.' : `Applied: ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded.stop();
  }
}

migrate().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
