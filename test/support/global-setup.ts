import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, PGLITE_DUMP_ENV, runMigrations, serverUrl, TEMPLATE_ENV, withAdminClient } from './test-database';

/** Migrates one database that every test file then copies. */
export default async function globalSetup(): Promise<void> {
  const base = serverUrl();
  if (base) {
    const template = `adhere_template_${process.pid}`;
    await withAdminClient(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${template}`);
    });
    await runMigrations({ url: databaseUrl(base, template) });
    process.env[TEMPLATE_ENV] = template;
    return;
  }
  // WAL segments of 1 MB instead of 16: each test file loads the dump, and the WAL is most of it.
  const database = await PGlite.create({ initDbStartParams: ['--wal-segsize=1'] });
  const server = new PGLiteSocketServer({ db: database, host: '127.0.0.1', port: 0 });
  await server.start();
  try {
    await runMigrations({ host: '127.0.0.1', port: (server as unknown as { port: number }).port, username: 'postgres', database: 'postgres' });
  } finally {
    await server.stop();
  }
  // A checkpoint, so that a test file's copy, which starts as after a crash, has little WAL to replay.
  await database.exec('CHECKPOINT');
  const dump = await database.dumpDataDir('none');
  const file = join(tmpdir(), `adhere-test-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  process.env[PGLITE_DUMP_ENV] = file;
}
