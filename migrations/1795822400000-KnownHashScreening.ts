import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeNotificationEvents } from './support/notification-events';

const EVENT = 'upload_incident';
const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * Known-hash screening of evidence uploads.
 *
 * - `hash_lists` and `hash_list_entries`: lists of SHA-256 and MD5 digests of known abuse material, as
 *   hotlines give them to vetted organizations. The application role may load and drop lists, but can
 *   never read a digest back: it asks `hash_list_matches` whether some digests are listed, one indexed
 *   lookup, and learns only which list matched.
 * - `upload_incidents`: an upload that matched. A request may record its own organization's incident
 *   but never read one; only the platform operator reads and resolves them. While an organization has
 *   an unresolved incident its uploads are paused, which `uploads_paused_since` tells without showing
 *   the incident.
 */
export class KnownHashScreening1795822400000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE hash_lists (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
        source text NOT NULL CHECK (source IN ('file', 'url')),
        url text,
        entries integer NOT NULL DEFAULT 0 CHECK (entries >= 0),
        content_sha256 text NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now(),
        loaded_by uuid REFERENCES users (id) ON DELETE SET NULL,
        CHECK ((source = 'url') = (url IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE hash_list_entries (
        list_id uuid NOT NULL REFERENCES hash_lists (id) ON DELETE CASCADE,
        digest text NOT NULL CHECK (digest ~ '^([0-9a-f]{32}|[0-9a-f]{64})$'),
        PRIMARY KEY (digest, list_id)
      )`);
    await queryRunner.query(`CREATE INDEX hash_list_entries_list ON hash_list_entries (list_id)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON hash_lists TO adhere_app`);
    // Deleting a list's entries needs to read list_id, and only that.
    await queryRunner.query(`GRANT INSERT, DELETE ON hash_list_entries TO adhere_app`);
    await queryRunner.query(`GRANT SELECT (list_id) ON hash_list_entries TO adhere_app`);
    await queryRunner.query(`
      CREATE FUNCTION hash_list_matches(digests text[]) RETURNS TABLE (list_name text, digest text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT l.name, e.digest FROM hash_list_entries e JOIN hash_lists l ON l.id = e.list_id
         WHERE e.digest = ANY (digests) ORDER BY l.name, e.digest $$`);

    await queryRunner.query(`
      CREATE TABLE upload_incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        token_id uuid REFERENCES api_tokens (id) ON DELETE SET NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        list_name text NOT NULL,
        algorithm text NOT NULL CHECK (algorithm IN ('sha256', 'md5')),
        digest text NOT NULL,
        resolved_at timestamptz,
        resolved_by uuid REFERENCES users (id) ON DELETE SET NULL,
        resolution_note text,
        version integer NOT NULL DEFAULT 1,
        CHECK ((resolved_at IS NULL) = (resolution_note IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX upload_incidents_open ON upload_incidents (organization_id) WHERE resolved_at IS NULL`);
    await queryRunner.query(`CREATE INDEX upload_incidents_newest ON upload_incidents (occurred_at DESC, id)`);
    await queryRunner.query(`
      CREATE FUNCTION current_user_is_operator() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT coalesce((SELECT is_operator FROM users WHERE id = current_user_id()), false) $$`);
    await queryRunner.query(`
      CREATE FUNCTION uploads_paused_since(organization uuid) RETURNS timestamptz
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT min(occurred_at) FROM upload_incidents WHERE organization_id = organization AND resolved_at IS NULL $$`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON upload_incidents TO adhere_app`);
    await queryRunner.query(`ALTER TABLE upload_incidents ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY upload_incidents_report ON upload_incidents FOR INSERT TO adhere_app WITH CHECK (organization_id = current_organization_id())`);
    await queryRunner.query(`
      CREATE POLICY upload_incidents_operator ON upload_incidents FOR ALL TO adhere_app
        USING (current_user_is_operator()) WITH CHECK (current_user_is_operator())`);
    for (const fn of ['hash_list_matches(text[])', 'current_user_is_operator()', 'uploads_paused_since(uuid)']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO adhere_app`);
    }

    await changeNotificationEvents(queryRunner, (events) => [...events, EVENT]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE event = $1`, [EVENT]);
    await changeNotificationEvents(queryRunner, (events) => events.filter((event) => event !== EVENT));
    await queryRunner.query(`DROP TABLE IF EXISTS upload_incidents`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS uploads_paused_since(uuid)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS current_user_is_operator()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS hash_list_matches(text[])`);
    await queryRunner.query(`DROP TABLE IF EXISTS hash_list_entries`);
    await queryRunner.query(`DROP TABLE IF EXISTS hash_lists`);
  }
}
