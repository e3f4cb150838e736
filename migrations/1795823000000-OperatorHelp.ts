import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeNotificationEvents } from './support/notification-events';
import { auditHash } from '../src/audit/audit-hash';

const EVENTS = ['account_suspended', 'account_reactivated'];

/**
 * What the operator needs to help people, and to stop them.
 *
 * - `users.suspended_at` / `organizations.suspended_at` (with the operator's reason): a suspended person
 *   signs in nowhere and their API tokens stop; a suspended organization's routes refuse its members.
 * - Policies on `current_user_is_operator()` (from the screening migration) let the operator read what
 *   no organization scope shows: the platform's audit chain (events without an organization) and every
 *   membership of a person.
 * - `platform_audit_head()`: the hash of the platform chain's last event, for any writer. Until now a
 *   request could not read the events without an organization, so each was written unlinked
 *   (`previous_hash` NULL); they are linked here once, in the order they were written, so that the
 *   whole platform chain verifies from its first event.
 * - The slug `admin` is the operator's pages (`/app/admin`): an organization that had it gets another.
 */
export class OperatorHelp1795823000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['users', 'organizations']) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN suspended_at timestamptz, ADD COLUMN suspended_reason text`);
    }
    await queryRunner.query(`UPDATE organizations SET slug = 'admin-' || substr(replace(id::text, '-', ''), 1, 8) WHERE slug = 'admin'`);
    await queryRunner.query(`
      CREATE POLICY audit_events_platform_read ON audit_events FOR SELECT
        USING (organization_id IS NULL AND current_user_is_operator())`);
    await queryRunner.query(`CREATE POLICY memberships_operator_read ON memberships FOR SELECT USING (current_user_is_operator())`);
    await queryRunner.query(`CREATE INDEX audit_events_platform_idx ON audit_events (id) WHERE organization_id IS NULL`);
    await queryRunner.query(`
      CREATE FUNCTION platform_audit_head() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT hash FROM audit_events WHERE organization_id IS NULL ORDER BY id DESC LIMIT 1 $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION platform_audit_head() FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION platform_audit_head() TO adhere_app`);
    await this.linkPlatformChain(queryRunner);
    await changeNotificationEvents(queryRunner, (events) => [...events, ...EVENTS]);
  }

  private async linkPlatformChain(queryRunner: QueryRunner): Promise<void> {
    const events = (await queryRunner.query(
      `SELECT id, organization_id AS "organizationId", actor_user_id AS "actorUserId", actor_token_id AS "actorTokenId", action,
              target_type AS "targetType", target_id AS "targetId", data, occurred_at AS "occurredAt"
         FROM audit_events WHERE organization_id IS NULL ORDER BY id`,
    )) as Array<Parameters<typeof auditHash>[0] & { id: string }>;
    if (events.length === 0) return;
    await queryRunner.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    let previousHash: string | null = null;
    for (const event of events) {
      const hash = auditHash({ ...event, occurredAt: new Date(event.occurredAt), previousHash });
      await queryRunner.query(`UPDATE audit_events SET previous_hash = $2, hash = $3 WHERE id = $1`, [event.id, previousHash, hash]);
      previousHash = hash;
    }
    await queryRunner.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE event = ANY ($1)`, [EVENTS]);
    await changeNotificationEvents(queryRunner, (events) => events.filter((event) => !EVENTS.includes(event)));
    await queryRunner.query(`DROP FUNCTION platform_audit_head()`);
    await queryRunner.query(`DROP INDEX audit_events_platform_idx`);
    await queryRunner.query(`DROP POLICY memberships_operator_read ON memberships`);
    await queryRunner.query(`DROP POLICY audit_events_platform_read ON audit_events`);
    for (const table of ['users', 'organizations']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN suspended_at, DROP COLUMN suspended_reason`);
    }
  }
}
