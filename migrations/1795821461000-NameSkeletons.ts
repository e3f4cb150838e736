import { MigrationInterface, QueryRunner } from 'typeorm';
import { nameSkeleton } from '../src/common/names/name-skeleton';

/**
 * Names that a reader could take for one another (the same letters in another script, look-alike
 * characters, another case) share a skeleton, kept beside the name: organizations' unique over the
 * whole platform, services' unique within their organization, so that of two concurrent requests for
 * look-alike names the database lets one through.
 *
 * Existing names that already collide are kept: the oldest holds the skeleton, the others keep none
 * (NULL, which a unique index allows any number of) until they are renamed. The oldest one's skeleton
 * still stops any new look-alike of them all.
 */
export class NameSkeletons1795821461000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE organizations ADD COLUMN name_skeleton text`);
    await queryRunner.query(`ALTER TABLE services ADD COLUMN name_skeleton text`);
    await this.fill(queryRunner, 'organizations', `SELECT id, name, '' AS scope FROM organizations ORDER BY created_at, id`);
    await this.fill(queryRunner, 'services', `SELECT id, name, organization_id::text AS scope FROM services ORDER BY created_at, id`);
    await queryRunner.query(`CREATE UNIQUE INDEX organizations_name_skeleton_key ON organizations (name_skeleton)`);
    await queryRunner.query(`CREATE UNIQUE INDEX services_name_skeleton_key ON services (organization_id, name_skeleton)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS services_name_skeleton_key`);
    await queryRunner.query(`DROP INDEX IF EXISTS organizations_name_skeleton_key`);
    await queryRunner.query(`ALTER TABLE services DROP COLUMN IF EXISTS name_skeleton`);
    await queryRunner.query(`ALTER TABLE organizations DROP COLUMN IF EXISTS name_skeleton`);
  }

  /** Gives each row, oldest first, its name's skeleton unless an older row of the same scope has it. */
  private async fill(queryRunner: QueryRunner, table: 'organizations' | 'services', rowsSql: string): Promise<void> {
    const rows = (await queryRunner.query(rowsSql)) as Array<{ id: string; name: string; scope: string }>;
    const held = new Set<string>();
    const ids: string[] = [];
    const skeletons: string[] = [];
    for (const row of rows) {
      const skeleton = nameSkeleton(row.name);
      const key = `${row.scope} ${skeleton}`;
      if (held.has(key)) continue;
      held.add(key);
      ids.push(row.id);
      skeletons.push(skeleton);
    }
    for (let start = 0; start < ids.length; start += 5_000) {
      await queryRunner.query(`UPDATE ${table} SET name_skeleton = given.skeleton FROM unnest($1::uuid[], $2::text[]) AS given (id, skeleton) WHERE ${table}.id = given.id`, [
        ids.slice(start, start + 5_000),
        skeletons.slice(start, start + 5_000),
      ]);
    }
  }
}
