import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A code version may declare an evidence policy (what kinds and file types of evidence it accepts,
 * and what uploaders confirm); it is content, so it freezes with the rest once published. Evidence
 * revisions record what was found inside a file when it was uploaded, so a later link to an answer
 * can be checked against a stricter policy without opening the file again:
 * - `embeds_images`: whether a PDF, an office document or an archive holds raster pictures (null for
 *   files that are not containers, and for those stored before files were opened);
 * - `member_types`: for an archive, the media types of everything in it, nested archives included.
 */
export class EvidencePolicies1795822300000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE code_versions ADD COLUMN evidence_policy jsonb NULL CHECK (evidence_policy IS NULL OR jsonb_typeof(evidence_policy) = 'object')`);
    // The guard that keeps a published version as it was freezes every column but the status and who did
    // what, the policy included (the same guard as the code changelogs install; setting it again is harmless).
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION code_versions_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        -- What may still be written once published: the move to retired, and people's ids set to null
        -- when their accounts are deleted.
        unfrozen text[] := ARRAY['status', 'retired_at', 'retired_by', 'imported_by', 'published_by'];
      BEGIN
        IF OLD.status = 'draft' THEN
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'Code version % is %: it can no longer be deleted.', OLD.version, OLD.status USING ERRCODE = '55000';
        END IF;
        IF (to_jsonb(NEW) - unfrozen) IS DISTINCT FROM (to_jsonb(OLD) - unfrozen)
           OR NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'retired')) THEN
          RAISE EXCEPTION 'Code version % is %: its content can no longer change.', OLD.version, OLD.status USING ERRCODE = '55000';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`ALTER TABLE evidence_revisions ADD COLUMN embeds_images boolean NULL`);
    await queryRunner.query(`ALTER TABLE evidence_revisions ADD COLUMN member_types text[] NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The guard stays: it freezes whatever columns the table has.
    await queryRunner.query(`ALTER TABLE evidence_revisions DROP COLUMN IF EXISTS member_types`);
    await queryRunner.query(`ALTER TABLE evidence_revisions DROP COLUMN IF EXISTS embeds_images`);
    await queryRunner.query(`ALTER TABLE code_versions DROP COLUMN IF EXISTS evidence_policy`);
  }
}
