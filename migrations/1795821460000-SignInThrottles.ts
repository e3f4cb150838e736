import { MigrationInterface, QueryRunner } from 'typeorm';

// Spelled out here: a migration stays as it was written, whatever the code's lists become later.
const EVENTS_BEFORE = ['submitted', 'assigned', 'changes_requested', 'resubmitted', 'decided', 'suspended', 'reinstated', 'revoked', 'expiring_soon', 'expired', 'complaint_received', 'complaint_updated'];
const EVENTS = [...EVENTS_BEFORE, 'account_locked'];
const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * Sign-in brakes that cannot be used to keep an account's owner out, and that say nothing about which
 * addresses have accounts.
 *
 * `sign_in_throttles` holds, per account, one run of failures for every network the account has not
 * signed in from (network '*'), and one per network it has signed in from within the last 90 days
 * (`signed_in_at`): each failure past the first few doubles the wait before the next guess in that run
 * counts. `claimed_until` lets one guess at a time be checked in a run, across instances. It replaces
 * the account-wide count and lock on `users`, which anyone knowing the address could keep closed.
 *
 * The owner is told of a lock by e-mail, through the outbox: a notice about a person's own account
 * belongs to no organization and names its user only.
 */
export class SignInThrottles1795821460000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sign_in_throttles (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        network text NOT NULL CHECK (length(network) BETWEEN 1 AND 100),
        failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
        last_failure_at timestamptz,
        blocked_until timestamptz,
        claimed_until timestamptz,
        signed_in_at timestamptz,
        PRIMARY KEY (user_id, network)
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_throttles TO adhere_app`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN failed_sign_ins, DROP COLUMN locked_until`);

    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_event_check`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_event_check CHECK (event IN (${list(EVENTS)}))`);
    await queryRunner.query(`ALTER TABLE notifications ALTER COLUMN organization_id DROP NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_account_audience
        CHECK (organization_id IS NOT NULL OR (cardinality(user_ids) > 0 AND cardinality(roles) = 0 AND cardinality(emails) = 0))`);
    // UNIQUE (organization_id, key) leaves notices of no organization apart: one key once among them too.
    await queryRunner.query(`CREATE UNIQUE INDEX notifications_account_key ON notifications (key) WHERE organization_id IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE organization_id IS NULL OR event NOT IN (${list(EVENTS_BEFORE)})`);
    await queryRunner.query(`DROP INDEX notifications_account_key`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_account_audience`);
    await queryRunner.query(`ALTER TABLE notifications ALTER COLUMN organization_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_event_check`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_event_check CHECK (event IN (${list(EVENTS_BEFORE)}))`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz`);
    await queryRunner.query(`DROP TABLE sign_in_throttles`);
  }
}
