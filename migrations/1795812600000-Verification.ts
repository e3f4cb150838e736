import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification by a monitoring body and the public register it feeds.
 *
 * The monitoring body's working records (assignments, declarations, findings, notes, section
 * summaries, decisions) are its tenant rows. It reaches the provider's side only through policies:
 * the assessments addressed to it once submitted, the frozen submissions once its reviewer has
 * declared no conflict, and the evidence revisions those submissions name, for assigned reviewers.
 * The provider reads findings and decisions only once they are released to it, and never the notes.
 * The register is public: no policy hides it, and only the application writes it.
 */
export class Verification1795812600000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reviews (
        assessment_id uuid PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        lead_reviewer_id uuid NOT NULL REFERENCES users (id),
        second_reviewer_id uuid NOT NULL REFERENCES users (id),
        assigned_by uuid REFERENCES users (id) ON DELETE SET NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (lead_reviewer_id <> second_reviewer_id)
      )`);
    await queryRunner.query(`CREATE INDEX reviews_organization ON reviews (organization_id)`);

    await queryRunner.query(`
      CREATE TABLE review_declarations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id),
        conflict boolean NOT NULL,
        statement text NOT NULL,
        declared_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (assessment_id, user_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        provider_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
        round integer NOT NULL CHECK (round >= 1),
        requirement_key text NOT NULL,
        verdict text NOT NULL CHECK (verdict IN ('accepted', 'changes_requested', 'rejected')),
        comment text,
        released boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (assessment_id, round, requirement_key),
        UNIQUE (id, organization_id)
      )`);

    // Kept apart from findings so that no policy written for the provider can ever reach them.
    await queryRunner.query(`
      CREATE TABLE finding_notes (
        finding_id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        note text NOT NULL,
        FOREIGN KEY (finding_id, organization_id) REFERENCES findings (id, organization_id) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE section_summaries (
        assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
        section_key text NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        public_summary text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (assessment_id, section_key)
      )`);

    await queryRunner.query(`
      CREATE TABLE decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        provider_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
        round integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('verified', 'rejected')),
        level integer CHECK (level >= 1),
        valid_until date,
        conditions text,
        public_summary text NOT NULL,
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'returned', 'approved')),
        proposed_by uuid NOT NULL REFERENCES users (id),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        reviewed_by uuid REFERENCES users (id),
        reviewed_at timestamptz,
        return_reason text,
        verification_id text UNIQUE,
        snapshot jsonb,
        version integer NOT NULL DEFAULT 1,
        CHECK (outcome = 'rejected' OR (level IS NOT NULL AND valid_until IS NOT NULL)),
        CHECK (status <> 'approved' OR (reviewed_by IS NOT NULL AND reviewed_by <> proposed_by AND snapshot IS NOT NULL)),
        CHECK (status <> 'approved' OR outcome = 'rejected' OR verification_id IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX decisions_one_pending ON decisions (assessment_id) WHERE status = 'proposed'`);
    await queryRunner.query(`CREATE INDEX decisions_organization ON decisions (organization_id, reviewed_at)`);
    await queryRunner.query(`
      CREATE FUNCTION approved_decisions_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> 'proposed' THEN
          RAISE EXCEPTION 'a decision that was approved or returned never changes' USING ERRCODE = '55000';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER decisions_final BEFORE UPDATE ON decisions
        FOR EACH ROW EXECUTE FUNCTION approved_decisions_are_final()`);

    // Human-readable verification ids (2026-L2-0042) are numbered per calendar year.
    await queryRunner.query(`
      CREATE TABLE verification_numbers (
        year integer PRIMARY KEY,
        last integer NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE register_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES organizations (id),
        service_id uuid NOT NULL REFERENCES services (id),
        code_id uuid NOT NULL REFERENCES codes (id),
        code_version_id uuid NOT NULL REFERENCES code_versions (id),
        monitoring_body_id uuid NOT NULL REFERENCES organizations (id),
        assessment_id uuid NOT NULL REFERENCES assessments (id),
        decision_id uuid NOT NULL REFERENCES decisions (id),
        verification_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('verified', 'suspended', 'revoked', 'expired')),
        level integer NOT NULL,
        first_verified_at timestamptz NOT NULL,
        decided_at timestamptz NOT NULL,
        valid_until date NOT NULL,
        conditions text,
        public_summary text NOT NULL,
        section_summaries jsonb NOT NULL DEFAULT '[]',
        evidence_manifest jsonb NOT NULL DEFAULT '[]',
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (service_id, code_id)
      )`);
    await queryRunner.query(`CREATE INDEX register_entries_due ON register_entries (valid_until) WHERE status IN ('verified', 'suspended')`);
    await queryRunner.query(`
      CREATE TABLE register_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES register_entries (id),
        monitoring_body_id uuid NOT NULL REFERENCES organizations (id),
        kind text NOT NULL CHECK (kind IN ('verified', 'renewed', 'suspended', 'reinstated', 'revoked', 'expired')),
        status text NOT NULL,
        verification_id text NOT NULL,
        reason text,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX register_events_entry ON register_events (entry_id, id)`);
    await queryRunner.query(`
      CREATE FUNCTION register_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the register''s history is append-only' USING ERRCODE = '55000';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER register_events_append_only BEFORE UPDATE OR DELETE ON register_events
        FOR EACH ROW EXECUTE FUNCTION register_events_are_append_only()`);

    await this.grantAndProtect(queryRunner);
  }

  private async grantAndProtect(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON reviews, findings, finding_notes, section_summaries TO adhere_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON decisions, register_entries, verification_numbers TO adhere_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON review_declarations, register_events TO adhere_app`);
    for (const table of ['reviews', 'review_declarations', 'findings', 'finding_notes', 'section_summaries', 'decisions']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY ${table}_tenant ON ${table}
          USING (organization_id = current_organization_id())
          WITH CHECK (organization_id = current_organization_id())`);
    }
    // The provider reads the findings and decisions released to it; notes have no such policy.
    await queryRunner.query(`CREATE POLICY findings_released ON findings FOR SELECT USING (provider_id = current_organization_id() AND released)`);
    await queryRunner.query(`CREATE POLICY decisions_final ON decisions FOR SELECT USING (provider_id = current_organization_id() AND status = 'approved')`);

    // Whether the current user has declared no conflict for an assessment of the current organization's queue.
    await queryRunner.query(`
      CREATE FUNCTION declared_without_conflict(assessment uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT EXISTS (
          SELECT 1 FROM review_declarations d
           WHERE d.assessment_id = assessment AND d.organization_id = current_organization_id()
             AND d.user_id = current_user_id() AND NOT d.conflict)
      $$`);
    // Whether an assigned, declared reviewer of the current organization may read this evidence
    // revision: only if a submission addressed to that organization names it.
    await queryRunner.query(`
      CREATE FUNCTION reviewer_may_read_revision(evidence uuid, revision integer) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT EXISTS (
          SELECT 1 FROM assessment_submissions s
            JOIN assessments a ON a.id = s.assessment_id
            JOIN reviews r ON r.assessment_id = a.id
           WHERE a.monitoring_body_id = current_organization_id()
             AND current_user_id() IN (r.lead_reviewer_id, r.second_reviewer_id)
             AND declared_without_conflict(a.id)
             AND jsonb_path_exists(s.snapshot, '$.answers[*].evidence[*] ? (@.id == $id && @.revision == $n)',
                                   jsonb_build_object('id', evidence, 'n', revision)))
      $$`);
    // When each round reached the current monitoring body, for its statistics: times only, never content.
    await queryRunner.query(`
      CREATE FUNCTION submissions_received() RETURNS TABLE (assessment_id uuid, round integer, submitted_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT s.assessment_id, s.round, s.submitted_at
          FROM assessment_submissions s JOIN assessments a ON a.id = s.assessment_id
         WHERE a.monitoring_body_id = current_organization_id()
      $$`);
    for (const fn of ['declared_without_conflict(uuid)', 'reviewer_may_read_revision(uuid, integer)', 'submissions_received()']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO adhere_app`);
    }

    // A monitoring body sees, and moves, the assessments addressed to it once they have been submitted;
    // the services they are for; their submissions once its reviewer has declared; their evidence as above.
    // The first condition of the last two spares the provider's own reads the functions' lookups.
    await queryRunner.query(`
      CREATE POLICY assessments_addressed ON assessments FOR SELECT
        USING (monitoring_body_id = current_organization_id() AND submitted_at IS NOT NULL)`);
    await queryRunner.query(`
      CREATE POLICY assessments_moved_by_monitoring_body ON assessments FOR UPDATE
        USING (monitoring_body_id = current_organization_id() AND submitted_at IS NOT NULL)
        WITH CHECK (monitoring_body_id = current_organization_id() AND submitted_at IS NOT NULL)`);
    await queryRunner.query(`
      CREATE POLICY services_under_review ON services FOR SELECT
        USING (EXISTS (SELECT 1 FROM assessments a WHERE a.service_id = services.id))`);
    await queryRunner.query(`
      CREATE POLICY assessment_submissions_declared ON assessment_submissions FOR SELECT
        USING (organization_id <> current_organization_id()
               AND EXISTS (SELECT 1 FROM assessments a WHERE a.id = assessment_id AND a.monitoring_body_id = current_organization_id())
               AND declared_without_conflict(assessment_id))`);
    await queryRunner.query(`
      CREATE POLICY evidence_revisions_reviewed ON evidence_revisions FOR SELECT
        USING (organization_id <> current_organization_id() AND reviewer_may_read_revision(evidence_id, number))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY IF EXISTS evidence_revisions_reviewed ON evidence_revisions`);
    await queryRunner.query(`DROP POLICY IF EXISTS assessment_submissions_declared ON assessment_submissions`);
    await queryRunner.query(`DROP POLICY IF EXISTS services_under_review ON services`);
    await queryRunner.query(`DROP POLICY IF EXISTS assessments_moved_by_monitoring_body ON assessments`);
    await queryRunner.query(`DROP POLICY IF EXISTS assessments_addressed ON assessments`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS submissions_received()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS reviewer_may_read_revision(uuid, integer)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS declared_without_conflict(uuid)`);
    for (const table of ['register_events', 'register_entries', 'verification_numbers', 'decisions', 'section_summaries', 'finding_notes', 'findings', 'review_declarations', 'reviews']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS register_events_are_append_only()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS approved_decisions_are_final()`);
  }
}
