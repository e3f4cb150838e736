import { MigrationInterface, QueryRunner } from 'typeorm';

// Spelled out here: a migration stays as it was written, whatever the code's lists become later.
const EVENTS = ['submitted', 'assigned', 'changes_requested', 'resubmitted', 'decided', 'suspended', 'reinstated', 'revoked', 'expiring_soon', 'expired'];
const ROLES = ['owner', 'editor', 'viewer', 'admin', 'reviewer'];
const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * The notification outbox and its per-recipient deliveries.
 *
 * These are not tenant tables: an event in a provider's transaction notifies a monitoring body's members
 * and the other way round, so no organization policy could both let the writer in and keep others out.
 * Instead the application role may only add outbox rows, naming the audience (an organization and user
 * ids and/or roles), never read them back: it learns nothing about another organization's notifications
 * or people. The delivery worker runs as the owner, outside requests; it resolves the audience from
 * memberships when it delivers and records one delivery per person, so nobody gets a copy twice.
 */
export class Notifications1795812437929 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        event text NOT NULL CHECK (event IN (${list(EVENTS)})),
        user_ids uuid[] NOT NULL DEFAULT '{}',
        roles text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY[${list(ROLES)}]),
        subject text NOT NULL,
        body text NOT NULL,
        link text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'logged', 'failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (organization_id, key),
        CHECK (cardinality(user_ids) + cardinality(roles) > 0)
      )`);
    await queryRunner.query(`CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX notifications_newest ON notifications (created_at DESC, id)`);

    // 'sending' is written, and committed, before the message leaves: a worker that dies mid-send leaves
    // it behind, and it is then never sent again rather than perhaps sent twice.
    await queryRunner.query(`
      CREATE TABLE notification_deliveries (
        notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'logged', 'failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        attempted_at timestamptz,
        error text,
        delivered_at timestamptz,
        PRIMARY KEY (notification_id, user_id)
      )`);

    // Only the audience and the message: status, attempts and times keep their defaults, so a request can
    // neither read the outbox nor mark a notification as already delivered.
    await queryRunner.query(`GRANT INSERT (organization_id, key, event, user_ids, roles, subject, body, link) ON notifications TO adhere_app`);
    // No grant at all reads either table; row-level security without a read policy keeps it that way
    // should a grant ever be added by mistake.
    await queryRunner.query(`ALTER TABLE notifications ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY notifications_enqueue ON notifications FOR INSERT TO adhere_app WITH CHECK (true)`);
    await queryRunner.query(`ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS notification_deliveries`);
    await queryRunner.query(`DROP TABLE IF EXISTS notifications`);
  }
}
