import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on with OpenID Connect.
 *
 * - `sso_configs`: one per organization, a tenant table under row-level security like `invitations`.
 *   The client secret is stored only encrypted (AES-256-GCM, `iv.tag.ciphertext` in base64url).
 * - `sso_domains`: the e-mail domains organizations claim. It is a platform-wide registry, like
 *   `sessions`: a domain belongs to at most one organization (its primary key), the operator confirms
 *   claims of every organization, and sign-in looks a domain up before any organization is known. So the
 *   application role is granted it without row policies; services always filter by organization.
 * - `sso_sign_in_by_domain(domain)`: what sign-in needs of the organization that holds a confirmed
 *   domain, read before any organization is known; it answers for that one domain, never lists.
 */
export class SingleSignOn1795822900000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sso_configs (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        issuer text NOT NULL CHECK (issuer ~ '^https?://'),
        client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 200),
        client_secret_sealed text NOT NULL,
        default_role text NOT NULL CHECK (default_role IN ('editor', 'viewer', 'reviewer')),
        sso_only boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE sso_domains (
        domain text PRIMARY KEY CHECK (domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
        claimed_at timestamptz NOT NULL DEFAULT now(),
        claimed_by uuid REFERENCES users (id) ON DELETE SET NULL,
        decided_at timestamptz,
        decided_by uuid REFERENCES users (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX sso_domains_organization ON sso_domains (organization_id, domain)`);
    await queryRunner.query(`CREATE INDEX sso_domains_pending ON sso_domains (claimed_at) WHERE status = 'pending'`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON sso_configs, sso_domains TO adhere_app`);
    await queryRunner.query(`ALTER TABLE sso_configs ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY sso_configs_tenant ON sso_configs
        USING (organization_id = current_organization_id())
        WITH CHECK (organization_id = current_organization_id())`);
    await queryRunner.query(`
      CREATE FUNCTION sso_sign_in_by_domain(wanted text)
        RETURNS TABLE (organization_id uuid, slug text, name text, sso_only boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
        $$ SELECT o.id, o.slug, o.name, c.sso_only
             FROM sso_domains d JOIN sso_configs c ON c.organization_id = d.organization_id JOIN organizations o ON o.id = d.organization_id
            WHERE d.domain = wanted AND d.status = 'confirmed' $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION sso_sign_in_by_domain(text) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION sso_sign_in_by_domain(text) TO adhere_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS sso_sign_in_by_domain(text)`);
    await queryRunner.query(`DROP TABLE sso_domains`);
    await queryRunner.query(`DROP TABLE sso_configs`);
  }
}
