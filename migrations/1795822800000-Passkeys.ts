import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeNotificationEvents } from './support/notification-events';

const EVENTS = ['passkey_added', 'passkey_removed'];

/**
 * Passkeys (WebAuthn credentials): one row per authenticator a person enrolled, with the public key the
 * server checks assertions against and the authenticator's signature counter, which only goes up.
 *
 * An identity-level table, read before any organization or person is known (a sign-in without a
 * password looks the credential up by its id), like `sessions` and `password_resets`: the application
 * role is granted it without row policies.
 */
export class Passkeys1795822800000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE passkeys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        credential_id text NOT NULL UNIQUE CHECK (length(credential_id) BETWEEN 16 AND 1366 AND credential_id ~ '^[A-Za-z0-9_-]+$'),
        public_key bytea NOT NULL,
        sign_count bigint NOT NULL DEFAULT 0 CHECK (sign_count >= 0),
        transports text[] NOT NULL DEFAULT '{}',
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX passkeys_user ON passkeys (user_id, created_at)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON passkeys TO adhere_app`);
    await changeNotificationEvents(queryRunner, (events) => [...events, ...EVENTS]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE event = ANY ($1)`, [EVENTS]);
    await changeNotificationEvents(queryRunner, (events) => events.filter((event) => !EVENTS.includes(event)));
    await queryRunner.query(`DROP TABLE passkeys`);
  }
}
