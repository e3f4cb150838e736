import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { MIGRATIONS_GLOB } from '../src/database/migrations.path';

/** The public register's migrations can be undone and applied again, on the embedded database. */
describe('the register migrations', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const dataDir = mkdtempSync(join(tmpdir(), 'adhere-migrations-'));
  const embedded = new EmbeddedPostgres();
  let dataSource: DataSource;

  beforeAll(async () => {
    const endpoint = await embedded.start(dataDir);
    dataSource = new DataSource({ type: 'postgres', ...endpoint, username: 'postgres', database: 'postgres', migrations: [MIGRATIONS_GLOB], extra: { max: 1 } });
    await dataSource.initialize();
    await dataSource.runMigrations();
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('undo the public register, attestation keys and their leases, and complaints (after what came later), leaving nothing behind, and apply again', async () => {
    const names = ['RegisterSigningKeyLeases1795821300000', 'RegisterSigningKeys1795821200000', 'Complaints1795821100000', 'PublicRegister1795821000000'];
    // Migrations that came after the register's are undone first, and applied again at the end.
    const later: string[] = [];
    for (;;) {
      const [last] = (await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`)) as Array<{ name: string }>;
      if (last.name === names[0]) break;
      later.unshift(last.name);
      await dataSource.undoLastMigration();
    }
    for (const name of names) {
      const [last] = (await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`)) as Array<{ name: string }>;
      expect(last.name).toBe(name);
      await dataSource.undoLastMigration();
    }
    const [left] = await dataSource.query(
      `SELECT to_regclass('complaints') AS complaints, to_regclass('register_signing_keys') AS keys, to_regclass('register_revision') AS revision,
              (SELECT array_agg(indexname::text ORDER BY indexname) FROM pg_indexes WHERE tablename IN ('register_entries', 'register_events')) AS indexes,
              (SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'register_entries') AS entry_columns,
              (SELECT count(*)::int FROM pg_trigger WHERE tgname LIKE '%change_the_register') AS triggers`,
    );
    // As the verification migration left them: its 20 columns and its indexes.
    expect(left).toEqual({
      complaints: null,
      keys: null,
      revision: null,
      indexes: ['register_entries_due', 'register_entries_pkey', 'register_entries_service_id_code_id_key', 'register_events_entry', 'register_events_pkey'],
      entry_columns: 20,
      triggers: 0,
    });
    const applied = await dataSource.runMigrations();
    expect(applied.map((migration) => migration.name)).toEqual([...[...names].reverse(), ...later]);
  }, 60_000);
});
