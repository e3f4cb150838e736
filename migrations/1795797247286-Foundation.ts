import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenancy, authentication, sessions and the audit log, with row-level security on every tenant table.
 *
 * The application connects as the owner of these tables and, for each request, switches to the
 * `adhere_app` role with `SET LOCAL ROLE`; the policies below then decide what that role can see from
 * the settings `adhere.organization_id` and `adhere.user_id` of the current transaction.
 */
export class Foundation1795797247286 implements MigrationInterface {
  name = 'Foundation1795797247286';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Roles are shared by every database of a server, so the role may already exist.
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'adhere_app') THEN
          CREATE ROLE adhere_app NOLOGIN;
        END IF;
      END $$`);
    await queryRunner.query(`GRANT adhere_app TO CURRENT_USER`);

    await queryRunner.query(`
      CREATE FUNCTION current_organization_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('adhere.organization_id', true), '')::uuid $$`);
    await queryRunner.query(`
      CREATE FUNCTION current_user_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('adhere.user_id', true), '')::uuid $$`);

    await queryRunner.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('provider', 'monitoring_body')),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        name text NOT NULL,
        country char(2),
        website text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        is_operator boolean NOT NULL DEFAULT false,
        failed_sign_ins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await queryRunner.query(`
      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer', 'admin', 'reviewer')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX memberships_user_idx ON memberships (user_id)`);

    await queryRunner.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer', 'admin', 'reviewer')),
        token_hash text NOT NULL UNIQUE,
        invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX invitations_organization_idx ON invitations (organization_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        token_prefix text NOT NULL,
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write'] AND cardinality(scopes) > 0),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX api_tokens_organization_idx ON api_tokens (organization_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organization_id uuid REFERENCES organizations (id),
        actor_user_id uuid,
        actor_token_id uuid,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        data jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL,
        request_id text,
        previous_hash text,
        hash text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_organization_idx ON audit_events (organization_id, id)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only()`);

    // Identity-level tables, read before any organization is known (sign-in, sessions, first-run setup).
    await queryRunner.query(`
      CREATE TABLE sessions (
        sid varchar NOT NULL PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sessions_expire_idx ON sessions (expire)`);

    await queryRunner.query(`
      CREATE TABLE sign_in_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        client text NOT NULL,
        email text NOT NULL,
        succeeded boolean NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX sign_in_attempts_client_idx ON sign_in_attempts (client, attempted_at)`);
    await queryRunner.query(`CREATE INDEX sign_in_attempts_time_idx ON sign_in_attempts (attempted_at)`);

    await queryRunner.query(`
      CREATE TABLE setup_tokens (
        token_hash text PRIMARY KEY,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await this.grantAndProtect(queryRunner);
  }

  private async grantAndProtect(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO adhere_app`);
    await queryRunner.query(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON organizations, users, memberships, invitations, api_tokens,
        sessions, sign_in_attempts, setup_tokens TO adhere_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON audit_events TO adhere_app`);
    await queryRunner.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO adhere_app`);

    // A member sees the memberships of the current organization, and their own in every organization.
    await queryRunner.query(`ALTER TABLE memberships ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY memberships_visible ON memberships
        USING (organization_id = current_organization_id() OR user_id = current_user_id())
        WITH CHECK (organization_id = current_organization_id())`);

    for (const table of ['invitations', 'api_tokens']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant ON ${table}
          USING (organization_id = current_organization_id())
          WITH CHECK (organization_id = current_organization_id())`);
    }

    // Account-level events (a password change) have no organization and are written, never read, here.
    await queryRunner.query(`ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY audit_events_read ON audit_events FOR SELECT
        USING (organization_id = current_organization_id())`);
    await queryRunner.query(`
      CREATE POLICY audit_events_write ON audit_events FOR INSERT
        WITH CHECK (organization_id IS NULL OR organization_id = current_organization_id())`);

    // Accepting an invitation starts from its secret token, before the organization is known: this
    // function answers only for the exact token hash, never lists invitations.
    await queryRunner.query(`
      CREATE FUNCTION invitation_by_token_hash(hash text)
        RETURNS SETOF invitations LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT * FROM invitations WHERE token_hash = hash $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION invitation_by_token_hash(text) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION invitation_by_token_hash(text) TO adhere_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS invitation_by_token_hash(text)`);
    for (const table of ['setup_tokens', 'sign_in_attempts', 'sessions', 'audit_events', 'api_tokens', 'invitations', 'memberships', 'users', 'organizations']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS audit_events_are_append_only()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS current_user_id()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS current_organization_id()`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM adhere_app`);
  }
}
