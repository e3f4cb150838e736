import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { nameSkeleton } from '../src/common/names/name-skeleton';
import { MIGRATIONS_GLOB } from '../src/database/migrations.path';
import { createTestDatabase } from './support/test-database';

const MIGRATION = 'NameSkeletons1795821461000';

/**
 * The migration that keeps names' skeletons, on a database that already holds names a reader could take
 * for one another: it must not fail on them, and from then on no new look-alike gets in.
 */
describe('the name skeletons migration', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const dataDir = mkdtempSync(join(tmpdir(), 'adhere-skeletons-'));
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => dataSource.query(text, params) as Promise<T[]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const connection = database.url ? { url: database.url } : { ...(await database.embedded!.start(dataDir)), username: 'postgres', database: 'postgres' };
    dataSource = new DataSource({ type: 'postgres', ...connection, migrations: [MIGRATIONS_GLOB], extra: { max: 1 } });
    await dataSource.initialize();
    await undoThroughIt();
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.embedded?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Back to just before the migration, later ones first. */
  const undoThroughIt = async () => {
    for (;;) {
      const [last] = await sql<{ name: string }>(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
      await dataSource.undoLastMigration();
      if (last.name === MIGRATION) return;
    }
  };
  const organization = async (name: string, minutesAgo: number) => {
    const slug = `org-${Math.random().toString(36).slice(2, 10)}`;
    const [row] = await sql<{ id: string }>(`INSERT INTO organizations (kind, slug, name, created_at) VALUES ('provider', $1, $2, now() - $3 * interval '1 minute') RETURNING id`, [slug, name, minutesAgo]);
    return row.id;
  };
  const service = async (organizationId: string, name: string, minutesAgo: number) => {
    const [row] = await sql<{ id: string }>(`INSERT INTO services (organization_id, name, profile, version, created_at) VALUES ($1, $2, '{}', 1, now() - $3 * interval '1 minute') RETURNING id`, [organizationId, name, minutesAgo]);
    return row.id;
  };
  const skeletonOf = async (table: 'organizations' | 'services', id: string) => (await sql<{ skeleton: string | null }>(`SELECT name_skeleton AS skeleton FROM ${table} WHERE id = $1`, [id]))[0].skeleton;

  it('keeps existing look-alikes, the oldest holding the skeleton, and then lets no new one in', async () => {
    const oldest = await organization('Acme Detection Ltd', 30);
    const capitals = await organization('ACME DETECTION LTD', 20);
    const cyrillic = await organization('\u0410\u0441me Detection Ltd', 10);
    const other = await organization('Other Detection Ltd', 5);
    const scanner = await service(oldest, 'Scanner', 9);
    const lookalike = await service(oldest, 'S\u0441anner', 8);
    const elsewhere = await service(other, 'Scanner', 7);

    await dataSource.runMigrations();

    expect(await skeletonOf('organizations', oldest)).toBe(nameSkeleton('Acme Detection Ltd'));
    expect(await skeletonOf('organizations', capitals)).toBeNull();
    expect(await skeletonOf('organizations', cyrillic)).toBeNull();
    expect(await skeletonOf('organizations', other)).toBe(nameSkeleton('Other Detection Ltd'));
    // Services collide only within their organization.
    expect(await skeletonOf('services', scanner)).toBe(nameSkeleton('Scanner'));
    expect(await skeletonOf('services', lookalike)).toBeNull();
    expect(await skeletonOf('services', elsewhere)).toBe(nameSkeleton('Scanner'));

    await expect(sql(`INSERT INTO organizations (kind, slug, name, name_skeleton) VALUES ('provider', 'acme-again', 'acme detection ltd', $1)`, [nameSkeleton('acme detection ltd')])).rejects.toMatchObject({
      driverError: { code: '23505', constraint: 'organizations_name_skeleton_key' },
    });
    await expect(sql(`INSERT INTO services (organization_id, name, profile, version, name_skeleton) VALUES ($1, 'SCANNER 2', '{}', 1, $2)`, [other, nameSkeleton('Scanner')])).rejects.toMatchObject({
      driverError: { code: '23505', constraint: 'services_name_skeleton_key' },
    });
  });

  it('can be undone, leaving no column or index behind, and applied again', async () => {
    await undoThroughIt();
    const [left] = await sql(
      `SELECT (SELECT count(*)::int FROM information_schema.columns WHERE column_name = 'name_skeleton') AS columns,
              (SELECT count(*)::int FROM pg_indexes WHERE indexname LIKE '%name_skeleton%') AS indexes`,
    );
    expect(left).toEqual({ columns: 0, indexes: 0 });
    const applied = await dataSource.runMigrations();
    expect(applied[0].name).toBe(MIGRATION);
  });
});
