import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Codes of conduct as versioned data, the accreditation of monitoring bodies for a code, and the
 * services providers declare adherence for.
 *
 * Codes are public, platform-wide data: no row-level security, but a published version can never
 * change again (enforced here by triggers as well as by the application). Services belong to one
 * provider and are protected by row-level security like every tenant table.
 */
export class CodesAndServices1795799942915 implements MigrationInterface {
  name = 'CodesAndServices1795799942915';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE code_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code_id uuid NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
        version text NOT NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
        title text NOT NULL,
        owner text NOT NULL,
        summary text NOT NULL,
        effective_date date NOT NULL,
        levels jsonb NOT NULL,
        profile_questions jsonb NOT NULL,
        content_hash text NOT NULL,
        source text NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        imported_by uuid REFERENCES users (id) ON DELETE SET NULL,
        published_at timestamptz,
        published_by uuid REFERENCES users (id) ON DELETE SET NULL,
        retired_at timestamptz,
        retired_by uuid REFERENCES users (id) ON DELETE SET NULL,
        UNIQUE (code_id, version),
        CHECK (status <> 'published' OR published_at IS NOT NULL),
        CHECK (status <> 'retired' OR retired_at IS NOT NULL)
      )`);

    await queryRunner.query(`
      CREATE TABLE code_sections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code_version_id uuid NOT NULL REFERENCES code_versions (id) ON DELETE CASCADE,
        key text NOT NULL,
        position integer NOT NULL,
        title text NOT NULL,
        summary text,
        UNIQUE (code_version_id, key),
        UNIQUE (code_version_id, position)
      )`);

    await queryRunner.query(`
      CREATE TABLE code_requirements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code_version_id uuid NOT NULL REFERENCES code_versions (id) ON DELETE CASCADE,
        section_id uuid NOT NULL REFERENCES code_sections (id) ON DELETE CASCADE,
        key text NOT NULL,
        position integer NOT NULL,
        title text NOT NULL,
        text text NOT NULL,
        guidance text,
        evidence text,
        level integer NOT NULL CHECK (level >= 1),
        evidence_required boolean NOT NULL,
        applies_when text,
        UNIQUE (code_version_id, key),
        UNIQUE (code_version_id, position)
      )`);
    await queryRunner.query(`CREATE INDEX code_requirements_section ON code_requirements (section_id)`);

    await this.protectPublishedVersions(queryRunner);

    await queryRunner.query(`
      CREATE TABLE accreditations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code_id uuid NOT NULL REFERENCES codes (id) ON DELETE RESTRICT,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        valid_from date NOT NULL,
        valid_until date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        ended_at timestamptz,
        ended_by uuid REFERENCES users (id) ON DELETE SET NULL,
        end_reason text,
        CHECK (valid_until > valid_from),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX accreditations_code ON accreditations (code_id, organization_id)`);
    await queryRunner.query(`CREATE INDEX accreditations_organization ON accreditations (organization_id)`);

    await queryRunner.query(`
      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        url text,
        profile jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(profile) = 'object'),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX services_name_key ON services (organization_id, lower(name))`);

    await queryRunner.query(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON codes, code_versions, code_sections, code_requirements,
        accreditations, services TO adhere_app`);
    await queryRunner.query(`ALTER TABLE services ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY services_tenant ON services
        USING (organization_id = current_organization_id())
        WITH CHECK (organization_id = current_organization_id())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS services`);
    await queryRunner.query(`DROP TABLE IF EXISTS accreditations`);
    await queryRunner.query(`DROP TABLE IF EXISTS code_requirements`);
    await queryRunner.query(`DROP TABLE IF EXISTS code_sections`);
    await queryRunner.query(`DROP TABLE IF EXISTS code_versions`);
    await queryRunner.query(`DROP TABLE IF EXISTS codes`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS code_version_contents_are_frozen()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS code_versions_are_frozen()`);
  }

  /**
   * Once published, a version's content is fixed: only the move to retired may still be written, and
   * nothing may be deleted. The errors use SQLSTATE 55000 (object not in prerequisite state).
   */
  private async protectPublishedVersions(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION code_versions_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'draft' THEN
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'Code version % is %: it can no longer be deleted.', OLD.version, OLD.status USING ERRCODE = '55000';
        END IF;
        IF (NEW.code_id, NEW.version, NEW.title, NEW.owner, NEW.summary, NEW.effective_date, NEW.levels,
            NEW.profile_questions, NEW.content_hash, NEW.source, NEW.imported_at, NEW.published_at)
           IS DISTINCT FROM
           (OLD.code_id, OLD.version, OLD.title, OLD.owner, OLD.summary, OLD.effective_date, OLD.levels,
            OLD.profile_questions, OLD.content_hash, OLD.source, OLD.imported_at, OLD.published_at)
           OR NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'retired')) THEN
          RAISE EXCEPTION 'Code version % is %: its content can no longer change.', OLD.version, OLD.status USING ERRCODE = '55000';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER code_versions_frozen BEFORE UPDATE OR DELETE ON code_versions
        FOR EACH ROW EXECUTE FUNCTION code_versions_are_frozen()`);

    await queryRunner.query(`
      CREATE FUNCTION code_version_contents_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        version_status text;
      BEGIN
        -- A cascade from deleting a draft finds its version already gone, and may proceed.
        SELECT status INTO version_status FROM code_versions
          WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.code_version_id ELSE OLD.code_version_id END;
        IF version_status IS NOT NULL AND version_status <> 'draft' THEN
          RAISE EXCEPTION 'This code version is %: its sections and requirements can no longer change.', version_status USING ERRCODE = '55000';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    for (const table of ['code_sections', 'code_requirements']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION code_version_contents_are_frozen()`);
    }
  }
}
