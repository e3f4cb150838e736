import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A provider's evidence library (immutable revisions) and its self-assessments: one answer per
 * applicable requirement, evidence linked to answers, and a frozen snapshot of every submission.
 * Every table is a tenant table under row-level security.
 */
export class AssessmentsAndEvidence1795805911858 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('file', 'link', 'text')),
        title text NOT NULL,
        description text,
        confidentiality text NOT NULL DEFAULT 'monitoring_body' CHECK (confidentiality IN ('monitoring_body', 'public')),
        current_revision integer NOT NULL DEFAULT 1 CHECK (current_revision >= 1),
        version integer NOT NULL DEFAULT 1,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (id, organization_id)
      )`);
    await queryRunner.query(`CREATE INDEX evidence_organization ON evidence (organization_id, lower(title))`);

    await queryRunner.query(`
      CREATE TABLE evidence_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        evidence_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        number integer NOT NULL CHECK (number >= 1),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint NOT NULL CHECK (size >= 0),
        content_type text NOT NULL,
        file_name text,
        url text,
        body text,
        effective_date date NOT NULL,
        expires_at date,
        note text,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (evidence_id, number),
        FOREIGN KEY (evidence_id, organization_id) REFERENCES evidence (id, organization_id) ON DELETE CASCADE,
        CHECK (expires_at IS NULL OR expires_at > effective_date)
      )`);
    await queryRunner.query(`CREATE INDEX evidence_revisions_object ON evidence_revisions (organization_id, sha256)`);

    await queryRunner.query(`
      CREATE TABLE assessments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES services (id) ON DELETE RESTRICT,
        code_version_id uuid NOT NULL REFERENCES code_versions (id) ON DELETE RESTRICT,
        monitoring_body_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
        target_level integer NOT NULL CHECK (target_level >= 1),
        state text NOT NULL DEFAULT 'draft',
        round integer NOT NULL DEFAULT 1 CHECK (round >= 1),
        profile jsonb NOT NULL DEFAULT '{}',
        copied_from_id uuid REFERENCES assessments (id) ON DELETE SET NULL,
        submitted_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (id, organization_id)
      )`);
    await queryRunner.query(`CREATE INDEX assessments_organization ON assessments (organization_id, created_at DESC)`);
    // One open declaration per service and code version at a time; withdrawn and decided ones do not count.
    await queryRunner.query(`
      CREATE UNIQUE INDEX assessments_one_open ON assessments (service_id, code_version_id)
        WHERE state IN ('draft', 'submitted', 'in_review', 'changes_requested')`);

    await queryRunner.query(`
      CREATE TABLE answers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assessment_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        requirement_key text NOT NULL,
        position integer NOT NULL,
        claim text CHECK (claim IN ('met', 'partially_met', 'not_met', 'not_applicable')),
        statement text,
        justification text,
        carried text CHECK (carried IN ('copied', 'new', 'changed')),
        version integer NOT NULL DEFAULT 1,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (assessment_id, requirement_key),
        UNIQUE (id, organization_id),
        FOREIGN KEY (assessment_id, organization_id) REFERENCES assessments (id, organization_id) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE answer_evidence (
        answer_id uuid NOT NULL,
        evidence_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        PRIMARY KEY (answer_id, evidence_id),
        FOREIGN KEY (answer_id, organization_id) REFERENCES answers (id, organization_id) ON DELETE CASCADE,
        FOREIGN KEY (evidence_id, organization_id) REFERENCES evidence (id, organization_id) ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE INDEX answer_evidence_evidence ON answer_evidence (evidence_id)`);

    await queryRunner.query(`
      CREATE TABLE assessment_submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assessment_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        round integer NOT NULL,
        signatory_name text NOT NULL,
        signatory_title text NOT NULL,
        signed_by uuid REFERENCES users (id) ON DELETE SET NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        snapshot jsonb NOT NULL,
        UNIQUE (assessment_id, round),
        FOREIGN KEY (assessment_id, organization_id) REFERENCES assessments (id, organization_id) ON DELETE CASCADE
      )`);

    await this.freeze(queryRunner, 'evidence_revisions', 'an evidence revision never changes; upload a new revision instead');
    await this.freeze(queryRunner, 'assessment_submissions', 'a submission is a frozen record of what was declared');

    await queryRunner.query(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON evidence, assessments, answers, answer_evidence TO adhere_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON evidence_revisions, assessment_submissions TO adhere_app`);
    for (const table of ['evidence', 'evidence_revisions', 'assessments', 'answers', 'answer_evidence', 'assessment_submissions']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant ON ${table}
          USING (organization_id = current_organization_id())
          WITH CHECK (organization_id = current_organization_id())`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['assessment_submissions', 'answer_evidence', 'answers', 'assessments', 'evidence_revisions', 'evidence']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS evidence_revisions_are_immutable()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS assessment_submissions_are_immutable()`);
  }

  /**
   * Rows that are records of fact: the database refuses to change them, and the application role may
   * not delete them (granted SELECT and INSERT only); they go only with their organization.
   */
  private async freeze(queryRunner: QueryRunner, table: string, reason: string): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ${table}_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '${reason}' USING ERRCODE = '55000';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ${table}_immutable BEFORE UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ${table}_are_immutable()`);
  }
}
