import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeNotificationEvents } from './support/notification-events';

const EVENTS = ['email_verification', 'email_changed'];

/**
 * E-mail verification.
 *
 * - `users.email_verified_at`: when the account's current address was proven, by a link mailed to it or
 *   by accepting an invitation; NULL while it is not. Accounts that exist already stay unverified: their
 *   owners are asked to verify like newcomers.
 * - `email_verifications`: one single-use link per mail, stored as the SHA-256 of its token only, for the
 *   address it proves (the account's own, or the new one it asked to change to), valid until
 *   `expires_at`; `used_at` is set once, by a conditional UPDATE, so two uses race to one winner.
 *
 * - `notifications_account_audience`: a notice about a person's own account may also go to exactly one
 *   address and nobody else: the new address a verification link proves, or the old one a change warns.
 *
 * An identity-level table, read before any organization is known, like `password_resets`: the
 * application role is granted it without row policies.
 */
export class EmailVerification1795822600000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamptz`);
    await queryRunner.query(`
      CREATE TABLE email_verifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX email_verifications_user ON email_verifications (user_id, created_at)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON email_verifications TO adhere_app`);

    await changeNotificationEvents(queryRunner, (events) => [...events, ...EVENTS]);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_account_audience`);
    await queryRunner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_account_audience
        CHECK (organization_id IS NOT NULL OR (cardinality(roles) = 0 AND (
          (cardinality(user_ids) > 0 AND cardinality(emails) = 0) OR (cardinality(user_ids) = 0 AND cardinality(emails) = 1))))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE event = ANY ($1)`, [EVENTS]);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_account_audience`);
    await queryRunner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_account_audience
        CHECK (organization_id IS NOT NULL OR (cardinality(user_ids) > 0 AND cardinality(roles) = 0 AND cardinality(emails) = 0))`);
    await changeNotificationEvents(queryRunner, (events) => events.filter((event) => !EVENTS.includes(event)));
    await queryRunner.query(`DROP TABLE email_verifications`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
  }
}
