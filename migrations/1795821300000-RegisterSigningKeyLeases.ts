import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A signing key stays in use while any running instance signs with it: each instance renews its key's
 * `in_use_until` every minute, and a key whose lease has run out is retired. Instances that start with
 * different keys (during a rotation, or by mistake) then all have their keys shown as in use, instead
 * of each start marking the other instances' keys retired while they still sign with them.
 */
export class RegisterSigningKeyLeases1795821300000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE register_signing_keys ADD COLUMN in_use_until timestamptz NULL`);
    // The key in use until now keeps that status until an instance renews it or its lease lapses.
    await queryRunner.query(`UPDATE register_signing_keys SET in_use_until = coalesce(retired_at, now())`);
    await queryRunner.query(`ALTER TABLE register_signing_keys ALTER COLUMN in_use_until SET NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE register_signing_keys DROP COLUMN IF EXISTS in_use_until`);
  }
}
