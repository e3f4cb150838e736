import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeNotificationEvents } from './support/notification-events';

const EVENTS = ['password_reset', 'password_changed'];

/**
 * Password reset by e-mail.
 *
 * - `password_resets`: one single-use link per request, stored as the SHA-256 of its token only, valid
 *   until `expires_at`; `used_at` is set once, by a conditional UPDATE, so two uses race to one winner.
 * - `password_reset_requests`: the requests accepted within the last day, per address and per client
 *   network (both kept only as HMACs keyed with the session secret), for the rate limits.
 *
 * Both are identity-level tables, read before any organization is known, like `sessions`,
 * `sign_in_attempts` and `setup_tokens`: the application role is granted them without row policies.
 */
export class PasswordResets1795822500000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX password_resets_open ON password_resets (user_id) WHERE used_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE password_reset_requests (
        address text NOT NULL CHECK (length(address) = 64),
        client text NOT NULL CHECK (length(client) = 64),
        requested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX password_reset_requests_address ON password_reset_requests (address, requested_at)`);
    await queryRunner.query(`CREATE INDEX password_reset_requests_client ON password_reset_requests (client, requested_at)`);
    await queryRunner.query(`CREATE INDEX password_reset_requests_time ON password_reset_requests (requested_at)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON password_resets TO adhere_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON password_reset_requests TO adhere_app`);

    await changeNotificationEvents(queryRunner, (events) => [...events, ...EVENTS]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE event = ANY ($1)`, [EVENTS]);
    await changeNotificationEvents(queryRunner, (events) => events.filter((event) => !EVENTS.includes(event)));
    await queryRunner.query(`DROP TABLE password_reset_requests`);
    await queryRunner.query(`DROP TABLE password_resets`);
  }
}
