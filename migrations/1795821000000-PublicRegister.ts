import { MigrationInterface, QueryRunner } from 'typeorm';
import { merkleRoot } from '../src/register/merkle-root';

/**
 * The register's public side.
 *
 * An entry carries the names it was verified under (provider, service, code, monitoring body), frozen
 * with the decision like the rest of it: the public reads one table that no policy hides, and the
 * names stay what was verified even if an organization renames itself later. A generated search
 * vector indexes the names and the public summaries for full-text search.
 *
 * `register_revision` counts every committed change to what the register shows, so a page can be
 * revalidated with one read instead of being rendered again.
 */
export class PublicRegister1795821000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE register_entries
        ADD COLUMN provider_name text,
        ADD COLUMN provider_country char(2),
        ADD COLUMN service_name text,
        ADD COLUMN code_slug text,
        ADD COLUMN code_title text,
        ADD COLUMN code_version text,
        ADD COLUMN monitoring_body_name text,
        ADD COLUMN evidence_root text`);
    await queryRunner.query(`
      UPDATE register_entries entry SET
        provider_name = provider.name,
        provider_country = provider.country,
        service_name = service.name,
        code_slug = code.slug,
        code_title = version.title,
        code_version = version.version,
        monitoring_body_name = body.name
      FROM organizations provider, services service, codes code, code_versions version, organizations body
      WHERE provider.id = entry.provider_id AND service.id = entry.service_id AND code.id = entry.code_id
        AND version.id = entry.code_version_id AND body.id = entry.monitoring_body_id`);
    const manifests = (await queryRunner.query(`SELECT id, evidence_manifest FROM register_entries`)) as Array<{ id: string; evidence_manifest: Array<{ sha256: string }> }>;
    for (const { id, evidence_manifest } of manifests) {
      await queryRunner.query(`UPDATE register_entries SET evidence_root = $2 WHERE id = $1`, [id, merkleRoot(evidence_manifest.map((item) => item.sha256))]);
    }
    for (const column of ['evidence_root', 'provider_name', 'service_name', 'code_slug', 'code_title', 'code_version', 'monitoring_body_name']) {
      await queryRunner.query(`ALTER TABLE register_entries ALTER COLUMN ${column} SET NOT NULL`);
    }
    await queryRunner.query(`
      ALTER TABLE register_entries ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', provider_name || ' ' || service_name), 'A') ||
        setweight(to_tsvector('english', code_title || ' ' || code_slug || ' ' || monitoring_body_name), 'B') ||
        setweight(to_tsvector('english', public_summary || ' ' || coalesce(conditions, '')), 'C') ||
        setweight(jsonb_to_tsvector('english', jsonb_path_query_array(section_summaries, '$[*].publicSummary'), '["string"]'), 'D')
      ) STORED`);
    await queryRunner.query(`CREATE INDEX register_entries_search ON register_entries USING gin (search)`);
    await queryRunner.query(`CREATE INDEX register_entries_by_provider ON register_entries (provider_name, service_name, id)`);
    await queryRunner.query(`CREATE INDEX register_entries_by_decision ON register_entries (decided_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX register_entries_by_validity ON register_entries (valid_until, id)`);
    // An assessment's verification shows in one entry at most: the status actions find it by the assessment.
    await queryRunner.query(`CREATE UNIQUE INDEX register_entries_assessment ON register_entries (assessment_id)`);
    await queryRunner.query(`CREATE INDEX register_entries_verification ON register_entries (verification_id)`);
    await queryRunner.query(`CREATE INDEX register_entries_code ON register_entries (code_slug)`);
    await queryRunner.query(`CREATE INDEX register_entries_monitoring_body ON register_entries (monitoring_body_id)`);
    await queryRunner.query(`CREATE INDEX register_events_feed ON register_events (id) INCLUDE (entry_id)`);

    await queryRunner.query(`
      CREATE TABLE register_revision (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        revision bigint NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO register_revision (singleton, revision) VALUES (true, 1)`);
    // Definer's rights: the application reads the counter but may not set it.
    await queryRunner.query(`
      CREATE FUNCTION register_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        UPDATE register_revision SET revision = revision + 1;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION register_changed() FROM PUBLIC`);
    for (const table of ['register_entries', 'register_events']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_change_the_register AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION register_changed()`);
    }
    await queryRunner.query(`GRANT SELECT ON register_revision TO adhere_app`);

    // Aggregates only: how long final decisions took from a declaration's first submission, which the
    // public may know although the decisions and submissions themselves are the parties' own rows.
    await queryRunner.query(`
      CREATE FUNCTION public_decision_times() RETURNS TABLE (outcome text, decisions integer, median_days double precision)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        WITH first_submission AS (SELECT assessment_id, min(submitted_at) AS at FROM assessment_submissions GROUP BY assessment_id)
        SELECT coalesce(d.outcome, 'all'), count(*)::integer,
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.reviewed_at - f.at) / 86400)::numeric, 1)::double precision
          FROM decisions d JOIN first_submission f ON f.assessment_id = d.assessment_id
         WHERE d.status = 'approved'
         GROUP BY GROUPING SETS ((d.outcome), ())
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION public_decision_times() FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION public_decision_times() TO adhere_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['register_entries', 'register_events']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_change_the_register ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS public_decision_times()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS register_changed()`);
    await queryRunner.query(`DROP TABLE IF EXISTS register_revision`);
    for (const index of ['register_events_feed', 'register_entries_assessment', 'register_entries_verification', 'register_entries_by_decision', 'register_entries_by_validity', 'register_entries_monitoring_body']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await queryRunner.query(`
      ALTER TABLE register_entries
        DROP COLUMN search, DROP COLUMN provider_name, DROP COLUMN provider_country, DROP COLUMN service_name,
        DROP COLUMN code_slug, DROP COLUMN code_title, DROP COLUMN code_version, DROP COLUMN monitoring_body_name,
        DROP COLUMN evidence_root`);
  }
}
