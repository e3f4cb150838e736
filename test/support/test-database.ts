import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { MIGRATIONS_GLOB } from '../../src/database/migrations.path';

/**
 * Where tests get their databases. With TEST_DATABASE_URL, a PostgreSQL server: one template database
 * is migrated once, and each test file gets its own copy (`CREATE DATABASE … TEMPLATE …`). Without it,
 * embedded PGlite: the migrated data directory is dumped once and each test file loads its own copy.
 */
export const TEMPLATE_ENV = 'ADHERE_TEST_TEMPLATE';
export const PGLITE_DUMP_ENV = 'ADHERE_TEST_PGLITE_DUMP';

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function runMigrations(connection: { url: string } | { host: string; port: number; username: string; database: string }): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', ...connection, migrations: [MIGRATIONS_GLOB], migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

/** A fresh database for one test file: its URL on the server, or a loaded PGlite copy. */
export async function createTestDatabase(): Promise<{ url?: string; embedded?: EmbeddedPostgres; drop: () => Promise<void> }> {
  const base = serverUrl();
  if (base) {
    const name = `adhere_test_${randomBytes(6).toString('hex')}`;
    await withAdminClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${process.env[TEMPLATE_ENV]}`));
    return {
      url: databaseUrl(base, name),
      drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  }
  return { embedded: new PreparedEmbeddedPostgres(), drop: async () => undefined };
}

/**
 * Embedded PostgreSQL that starts from the migrated dump instead of an empty data folder, with 16 MB of
 * shared buffers instead of 128: a test's data fits, and every test file's start sets the buffers up
 * (a third of the time PGlite takes to start with 128 MB).
 */
export class PreparedEmbeddedPostgres extends EmbeddedPostgres {
  protected async open(): Promise<PGlite> {
    const dump = process.env[PGLITE_DUMP_ENV];
    if (!dump) throw new Error(`${PGLITE_DUMP_ENV} is not set: the global setup did not run`);
    return PGlite.create({ loadDataDir: new Blob([readFileSync(dump)]), startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] });
  }
}
