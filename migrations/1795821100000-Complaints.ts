import { MigrationInterface, QueryRunner } from 'typeorm';

// Spelled out here: a migration stays as it was written, whatever the code's lists become later.
const CATEGORIES = ['inaccurate_information', 'non_compliance', 'misleading_use', 'privacy_concern', 'child_safety_concern', 'other'];
const STATUSES = ['received', 'investigating', 'upheld', 'dismissed'];
const EVENTS_BEFORE = ['submitted', 'assigned', 'changes_requested', 'resubmitted', 'decided', 'suspended', 'reinstated', 'revoked', 'expiring_soon', 'expired'];
const EVENTS = [...EVENTS_BEFORE, 'complaint_received', 'complaint_updated'];
const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * Complaints about register entries, from anyone, handled by the entry's monitoring body.
 *
 * A complaint belongs to the monitoring body that showed the entry when it was filed: a trigger copies
 * it from the entry, so the person filing can never choose it. That body reads and updates its own
 * complaints (row-level security); the public, which has no organization, may only add them. What the
 * public may know of complaints (category, status, public outcome, dates) it reads through the
 * `public_complaints` view, never the text, e-mail address, client key, secret hash or reference.
 * Two functions with the definer's rights answer the questions a complainant's request has before any
 * organization is known: how many complaints one client filed since a time (the rate limit), and the
 * complaint whose reference and secret hash match (following it).
 *
 * Notifications may now go to e-mail addresses that belong to no account (the complainant's): the
 * outbox gets a list of addresses besides users and roles, and a delivery is one per address.
 */
export class Complaints1795821100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE complaints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE CHECK (reference ~ '^C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
        secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
        entry_id uuid NOT NULL REFERENCES register_entries (id),
        monitoring_body_id uuid NOT NULL REFERENCES organizations (id),
        category text NOT NULL CHECK (category IN (${list(CATEGORIES)})),
        text text NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 5000),
        email text CHECK (length(email) BETWEEN 3 AND 254),
        client_key text NOT NULL CHECK (client_key ~ '^[0-9a-f]{64}$'),
        status text NOT NULL DEFAULT 'received' CHECK (status IN (${list(STATUSES)})),
        public_outcome text CHECK (length(public_outcome) <= 5000),
        register_event_id bigint REFERENCES register_events (id),
        version integer NOT NULL DEFAULT 1,
        received_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        CONSTRAINT complaints_closed_with_outcome CHECK ((status IN ('upheld', 'dismissed')) = (closed_at IS NOT NULL AND public_outcome IS NOT NULL)),
        CONSTRAINT complaints_outcome_only_when_closed CHECK (status IN ('upheld', 'dismissed') OR (closed_at IS NULL AND public_outcome IS NULL)),
        CONSTRAINT complaints_action_only_when_upheld CHECK (register_event_id IS NULL OR status = 'upheld')
      )`);
    await queryRunner.query(`CREATE INDEX complaints_monitoring_body ON complaints (monitoring_body_id, received_at DESC)`);
    await queryRunner.query(`CREATE INDEX complaints_entry ON complaints (entry_id)`);
    await queryRunner.query(`CREATE INDEX complaints_client ON complaints (client_key, received_at)`);

    await queryRunner.query(`
      CREATE FUNCTION complaints_go_to_the_entrys_monitoring_body() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
      BEGIN
        NEW.monitoring_body_id := (SELECT e.monitoring_body_id FROM register_entries e WHERE e.id = NEW.entry_id);
        IF NEW.monitoring_body_id IS NULL THEN
          RAISE EXCEPTION 'there is no register entry %', NEW.entry_id USING ERRCODE = '23503';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER complaints_monitoring_body BEFORE INSERT ON complaints
        FOR EACH ROW EXECUTE FUNCTION complaints_go_to_the_entrys_monitoring_body()`);
    // Entry pages show complaint counts and outcomes: a complaint changes what the register shows.
    await queryRunner.query(`
      CREATE TRIGGER complaints_change_the_register AFTER INSERT OR UPDATE OR DELETE ON complaints
        FOR EACH STATEMENT EXECUTE FUNCTION register_changed()`);

    // Only what a complaint is made of when it is filed; its status, monitoring body and times keep their
    // defaults. The monitoring body reads everything but the client key and the secret's hash, and
    // changes only the handling columns.
    await queryRunner.query(`GRANT INSERT (id, reference, secret_hash, entry_id, category, text, email, client_key) ON complaints TO adhere_app`);
    await queryRunner.query(`
      GRANT SELECT (id, reference, entry_id, monitoring_body_id, category, text, email, status, public_outcome, register_event_id,
                    version, received_at, updated_at, closed_at) ON complaints TO adhere_app`);
    await queryRunner.query(`GRANT UPDATE (status, public_outcome, register_event_id, version, updated_at, closed_at) ON complaints TO adhere_app`);
    await queryRunner.query(`ALTER TABLE complaints ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY complaints_file ON complaints FOR INSERT TO adhere_app WITH CHECK (true)`);
    await queryRunner.query(`CREATE POLICY complaints_read ON complaints FOR SELECT TO adhere_app USING (monitoring_body_id = current_organization_id())`);
    await queryRunner.query(`
      CREATE POLICY complaints_handle ON complaints FOR UPDATE TO adhere_app
        USING (monitoring_body_id = current_organization_id())
        WITH CHECK (monitoring_body_id = current_organization_id())`);

    // Owned by the migrating user, so it reads past the policies, but only these columns.
    await queryRunner.query(`
      CREATE VIEW public_complaints AS
        SELECT entry_id, monitoring_body_id, category, status, public_outcome, received_at, closed_at FROM complaints`);
    await queryRunner.query(`GRANT SELECT ON public_complaints TO adhere_app`);

    // A client key is an HMAC only the application can compute: the answer is when each of its complaints
    // within the window was received, nothing else.
    await queryRunner.query(`
      CREATE FUNCTION complaints_filed_by(client text, since timestamptz) RETURNS TABLE (received_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT c.received_at FROM complaints c WHERE c.client_key = client AND c.received_at > since ORDER BY c.received_at
      $$`);
    // The complainant's own view, only for the reference together with the hash of its secret. Every
    // byte of the hashes is compared, wherever the first difference lies, and an unknown reference is
    // compared too, so neither the time taken nor the answer tells a wrong reference from a wrong secret.
    await queryRunner.query(`
      CREATE FUNCTION complaint_to_follow(given_reference text, given_secret_hash text)
        RETURNS TABLE (reference text, entry_id uuid, category text, status text, complaint text, public_outcome text,
                       received_at timestamptz, updated_at timestamptz, closed_at timestamptz)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
      DECLARE
        candidate complaints%ROWTYPE;
        stored bytea;
        given bytea;
        difference integer := 0;
      BEGIN
        IF given_secret_hash IS NULL OR given_secret_hash !~ '^[0-9a-f]{64}$' THEN
          RETURN;
        END IF;
        given := decode(given_secret_hash, 'hex');
        SELECT * INTO candidate FROM complaints c WHERE c.reference = given_reference;
        stored := decode(coalesce(candidate.secret_hash, repeat('0', 64)), 'hex');
        FOR i IN 0..31 LOOP
          difference := difference | (get_byte(stored, i) # get_byte(given, i));
        END LOOP;
        IF candidate.id IS NULL OR difference <> 0 THEN
          RETURN;
        END IF;
        RETURN QUERY SELECT candidate.reference, candidate.entry_id, candidate.category, candidate.status, candidate.text,
                            candidate.public_outcome, candidate.received_at, candidate.updated_at, candidate.closed_at;
      END $$`);
    for (const fn of ['complaints_filed_by(text, timestamptz)', 'complaint_to_follow(text, text)']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO adhere_app`);
    }

    await this.notifyAddresses(queryRunner);
  }

  /** Complaint events, and recipients who are an e-mail address rather than a member. */
  private async notifyAddresses(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_event_check`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_event_check CHECK (event IN (${list(EVENTS)}))`);
    await queryRunner.query(`ALTER TABLE notifications ADD COLUMN emails text[] NOT NULL DEFAULT '{}' CHECK (cardinality(emails) <= 10)`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_check`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_check CHECK (cardinality(user_ids) + cardinality(roles) + cardinality(emails) > 0)`);
    await queryRunner.query(`GRANT INSERT (emails) ON notifications TO adhere_app`);
    // One delivery per address: a member found by role or id, or an address given as it is.
    await queryRunner.query(`ALTER TABLE notification_deliveries DROP CONSTRAINT notification_deliveries_pkey`);
    await queryRunner.query(`ALTER TABLE notification_deliveries ALTER COLUMN user_id DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE notification_deliveries ADD CONSTRAINT notification_deliveries_pkey PRIMARY KEY (notification_id, email)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notification_deliveries WHERE user_id IS NULL`);
    await queryRunner.query(`ALTER TABLE notification_deliveries DROP CONSTRAINT notification_deliveries_pkey`);
    await queryRunner.query(`ALTER TABLE notification_deliveries ALTER COLUMN user_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE notification_deliveries ADD CONSTRAINT notification_deliveries_pkey PRIMARY KEY (notification_id, user_id)`);
    await queryRunner.query(`DELETE FROM notifications WHERE event NOT IN (${list(EVENTS_BEFORE)}) OR cardinality(user_ids) + cardinality(roles) = 0`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_check`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_check CHECK (cardinality(user_ids) + cardinality(roles) > 0)`);
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN emails`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_event_check`);
    await queryRunner.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_event_check CHECK (event IN (${list(EVENTS_BEFORE)}))`);

    await queryRunner.query(`DROP FUNCTION IF EXISTS complaint_to_follow(text, text)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS complaints_filed_by(text, timestamptz)`);
    await queryRunner.query(`DROP VIEW IF EXISTS public_complaints`);
    await queryRunner.query(`DROP TABLE IF EXISTS complaints`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS complaints_go_to_the_entrys_monitoring_body()`);
  }
}
