import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from './support/test-database';

/**
 * The embedded database, whatever TEST_DATABASE_URL says: the migrations apply to an empty PGlite
 * data folder, row-level security holds there too, and the data survives a restart.
 */
describe('embedded PostgreSQL (PGlite)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const dataDir = mkdtempSync(join(tmpdir(), 'adhere-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // Every migration from an empty data folder, and two starts: past Jest's default time on two busy cores.
  it('applies every migration to a new data folder, enforces row-level security and keeps data across restarts', async () => {
    const first = new EmbeddedPostgres();
    const endpoint = await first.start(dataDir);
    await runMigrations({ ...endpoint, username: 'postgres', database: 'postgres' });
    const client = new Client({ ...endpoint, user: 'postgres', database: 'postgres' });
    await client.connect();
    const [organization] = (await client.query(`INSERT INTO organizations (kind, slug, name) VALUES ('provider', 'kept', 'Kept') RETURNING id`)).rows;
    await client.query(`INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), 'k@example.org', 'K', 'x')`);
    await client.query(`INSERT INTO memberships (organization_id, user_id, role) SELECT $1, id, 'owner' FROM users`, [organization.id]);
    await client.query('BEGIN');
    await client.query('SET LOCAL ROLE adhere_app');
    expect((await client.query('SELECT * FROM memberships')).rows).toEqual([]);
    await client.query(`SELECT set_config('adhere.organization_id', $1, true)`, [organization.id]);
    expect((await client.query('SELECT * FROM memberships')).rows).toHaveLength(1);
    await client.query('COMMIT');
    await client.end();
    await first.stop();

    const second = new EmbeddedPostgres();
    const again = await second.start(dataDir);
    const reopened = new Client({ ...again, user: 'postgres', database: 'postgres' });
    await reopened.connect();
    expect((await reopened.query(`SELECT name FROM organizations`)).rows).toEqual([{ name: 'Kept' }]);
    const applied = (await reopened.query(`SELECT name FROM migrations`)).rows;
    expect(applied.length).toBeGreaterThan(0);
    await reopened.end();
    await second.stop();
  }, 120_000);

  it('is a real PostgreSQL', async () => {
    const database = await PGlite.create();
    const [{ server_version_num }] = (await database.query<{ server_version_num: string }>('SHOW server_version_num')).rows;
    expect(Number(server_version_num)).toBeGreaterThanOrEqual(150000);
    await database.close();
  });
});
