import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeNotificationEvents } from './support/notification-events';

const EVENTS = ['second_factor_added', 'second_factor_removed', 'recovery_code_used'];

/**
 * Second factors: authenticator apps (TOTP) and recovery codes, and the organizations that require them.
 *
 * - `totp_factors`: a person's authenticator, its secret encrypted (AES-256-GCM, see TotpCipher). One row
 *   waits for its first code (`confirmed_at` NULL) until it is confirmed; one confirmed row at most per
 *   person. `last_step` is the last RFC 6238 time step accepted, raised by a conditional UPDATE, so a
 *   code is accepted once even when two requests bring it at the same moment.
 * - `recovery_codes`: ten single-use codes per person, stored as SHA-256 only; `used_at` set once.
 * - `second_factor_failures`: wrong codes per person, for the limit on guessing.
 * - `organizations.require_mfa`, `organizations.require_step_up`.
 *
 * Identity-level tables, read before any organization is known (at sign-in, when a session is restored),
 * like `sessions` and `password_resets`: the application role is granted them without row policies.
 */
export class SecondFactors1795822700000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE totp_factors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        secret_ciphertext text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        last_step bigint
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX totp_factors_confirmed ON totp_factors (user_id) WHERE confirmed_at IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX totp_factors_pending ON totp_factors (user_id) WHERE confirmed_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX recovery_codes_unused ON recovery_codes (user_id) WHERE used_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE second_factor_failures (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX second_factor_failures_user ON second_factor_failures (user_id, failed_at)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON totp_factors, recovery_codes TO adhere_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON second_factor_failures TO adhere_app`);

    await queryRunner.query(`ALTER TABLE organizations ADD COLUMN require_mfa boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE organizations ADD COLUMN require_step_up boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE organizations ADD CONSTRAINT organizations_step_up_for_monitoring_bodies CHECK (NOT require_step_up OR kind = 'monitoring_body')`);

    await changeNotificationEvents(queryRunner, (events) => [...events, ...EVENTS]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE event = ANY ($1)`, [EVENTS]);
    await changeNotificationEvents(queryRunner, (events) => events.filter((event) => !EVENTS.includes(event)));
    await queryRunner.query(`ALTER TABLE organizations DROP CONSTRAINT organizations_step_up_for_monitoring_bodies`);
    await queryRunner.query(`ALTER TABLE organizations DROP COLUMN require_step_up`);
    await queryRunner.query(`ALTER TABLE organizations DROP COLUMN require_mfa`);
    await queryRunner.query(`DROP TABLE second_factor_failures`);
    await queryRunner.query(`DROP TABLE recovery_codes`);
    await queryRunner.query(`DROP TABLE totp_factors`);
  }
}
