import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A code version may carry a changelog: what changed since an earlier version, why, and on which texts
 * the changes rest. Like the rest of a published version, it can no longer change; the guard now
 * freezes every column but the status and who did what, so a column added later is frozen too.
 */
export class CodeChangelogs1795822200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE code_versions ADD COLUMN changelog jsonb NULL CHECK (changelog IS NULL OR jsonb_typeof(changelog) = 'object')`);
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION code_versions_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`ALTER TABLE code_versions DROP COLUMN IF EXISTS changelog`);
  }
}
