import { DataSource } from 'typeorm';
import { APPLICATION_ROLE, TransactionHost } from '../src/database/transaction-host';
import { Actor, createTestApp, TestApp } from './support/test-app';

const TENANT_TABLES = [
  'memberships',
  'invitations',
  'api_tokens',
  'audit_events',
  'services',
  'evidence',
  'evidence_revisions',
  'assessments',
  'answers',
  'answer_evidence',
  'assessment_submissions',
  'sso_configs',
];
/** The monitoring bodies' working records of a review: their rows belong to the monitoring body. */
const MONITORING_BODY_TABLES = ['reviews', 'review_declarations', 'findings', 'finding_notes', 'section_summaries', 'decisions'];
const OPERATOR = { email: 'rls-operator@example.org', password: 'operator passphrase 1' };
const CODE = 'csea-detection-tools';

/** PostgreSQL itself keeps organizations apart, whatever the application asks. */
describe('row-level security', () => {
  let t: TestApp;
  let a: Actor;
  let b: Actor;
  /** The monitoring bodies A and B submitted to, each with a review in progress. */
  let gamma: Actor;
  let delta: Actor;

  /** Runs `sql` as the application role with the given organization and user set, as a request does. */
  function asApplication<T = Record<string, unknown>>(scope: { organizationId?: string; userId?: string }, sql: string, params: unknown[] = []): Promise<T[]> {
    return t.app.get(DataSource).transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APPLICATION_ROLE}`);
      await manager.query(`SELECT set_config('adhere.organization_id', $1, true), set_config('adhere.user_id', $2, true)`, [
        scope.organizationId ?? '',
        scope.userId ?? '',
      ]);
      return manager.query(sql, params);
    });
  }

  /** A submitted declaration with one piece of evidence linked, so that every tenant table has rows of the actor. */
  async function declare(actor: Actor, serviceId: string, monitoringBody: string): Promise<string> {
    const api = `/api/v1/orgs/${actor.organization.slug}`;
    const evidence = await actor.agent.post(`${api}/evidence`).set('X-CSRF-Token', actor.csrf).send({ kind: 'text', title: 'Policy', text: 'Our policy.' }).expect(201);
    const started = await actor.agent
      .post(`${api}/assessments`)
      .set('X-CSRF-Token', actor.csrf)
      .send({ serviceId, code: CODE, version: '1.0.0', monitoringBody, targetLevel: 1 })
      .expect(201);
    const answers = (started.body.answers as Array<{ requirementKey: string; version: number }>).map(({ requirementKey, version }, index) => ({
      requirementKey,
      version,
      claim: 'not_met',
      statement: 'Not yet.',
      evidenceIds: index === 0 ? [evidence.body.id] : [],
    }));
    await actor.agent.put(`${api}/assessments/${started.body.id}/answers`).set('X-CSRF-Token', actor.csrf).send({ answers }).expect(200);
    await actor.agent
      .post(`${api}/assessments/${started.body.id}/submit`)
      .set('X-CSRF-Token', actor.csrf)
      .send({ signatory: { name: 'Sam Signer', title: 'CEO', confirm: true } })
      .expect(200);
    return started.body.id;
  }

  /** The monitoring body's review of a submission, so that every one of its tables has rows: an assignment, two declarations, a finding with a note, a section summary and a proposed decision. */
  async function review(monitor: Actor, assessmentId: string): Promise<void> {
    const api = `/api/v1/orgs/${monitor.organization.slug}/reviews/${assessmentId}`;
    const reviewer = await t.addMember(monitor, 'reviewer');
    await monitor.agent.post(`${api}/assign`).set('X-CSRF-Token', monitor.csrf).send({ lead: reviewer.userId, second: monitor.user.id }).expect(200);
    for (const person of [reviewer, monitor]) {
      await person.agent.post(`${api}/declaration`).set('X-CSRF-Token', person.csrf).send({ conflict: false, statement: 'No interest in this provider.' }).expect(201);
    }
    const opened = await reviewer.agent.get(api).expect(200);
    const [section] = opened.body.sections as Array<{ key: string; requirements: Array<{ key: string }> }>;
    const lead = (method: 'post' | 'put', path: string) => reviewer.agent[method](`${api}${path}`).set('X-CSRF-Token', reviewer.csrf);
    await lead('put', `/findings/${section.requirements[0].key}`).send({ verdict: 'rejected', comment: 'Not met.', internalNote: `Note of ${monitor.organization.name}` }).expect(200);
    await lead('put', `/sections/${section.key}/summary`).send({ publicSummary: 'Reviewed.' }).expect(200);
    await lead('post', '/decision').send({ outcome: 'rejected', publicSummary: 'Not adherent.' }).expect(201);
  }

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password });
    a = await t.signUp({ organization: 'Alpha Scanning' });
    b = await t.signUp({ organization: 'Beta Filters' });
    gamma = await t.signUp({ organization: 'Gamma Monitoring', kind: 'monitoring_body' });
    delta = await t.signUp({ organization: 'Delta Monitoring', kind: 'monitoring_body' });
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    for (const monitor of [gamma, delta]) {
      await operator.agent
        .post(`/api/v1/codes/${CODE}/accreditations`)
        .set('X-CSRF-Token', operator.csrf)
        .send({ organization: monitor.organization.slug, validFrom: '2020-01-01', validUntil: '2099-12-31' })
        .expect(201);
    }
    const monitorOf = new Map([
      [a, gamma],
      [b, delta],
    ]);
    for (const actor of [a, b]) {
      await actor.agent.post(`/api/v1/orgs/${actor.organization.slug}/invitations`).set('X-CSRF-Token', actor.csrf).send({ email: `x@${actor.organization.slug}.example`, role: 'viewer' }).expect(201);
      await actor.agent.post(`/api/v1/orgs/${actor.organization.slug}/tokens`).set('X-CSRF-Token', actor.csrf).send({ name: 'ci', scopes: ['read'] }).expect(201);
      await actor.agent
        .post(`/api/v1/orgs/${actor.organization.slug}/services`)
        .set('X-CSRF-Token', actor.csrf)
        .send({ name: `${actor.organization.name} Messenger`, profile: { eu_users: true } })
        .expect(201)
        .then((service) => declare(actor, service.body.id, monitorOf.get(actor)!.organization.slug))
        .then((assessmentId) => review(monitorOf.get(actor)!, assessmentId));
      // Saving through the API needs a live identity provider (test/sso.e2e-spec.ts); the policy is what is tested here.
      await t.sql(`INSERT INTO sso_configs (organization_id, issuer, client_id, client_secret_sealed, default_role) VALUES ($1, 'https://idp.example.com', 'probe', 'sealed', 'viewer')`, [
        actor.organization.id,
      ]);
    }
  });
  afterAll(() => t.close());

  it('every tenant table has row-level security enabled with a policy', async () => {
    const rows = await t.sql<{ relname: string; relrowsecurity: boolean; policies: string }>(
      `SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname) AS policies
         FROM pg_class c WHERE c.relname = ANY($1)`,
      [TENANT_TABLES],
    );
    expect(rows).toHaveLength(TENANT_TABLES.length);
    for (const row of rows) {
      expect(row.relrowsecurity).toBe(true);
      expect(Number(row.policies)).toBeGreaterThan(0);
    }
  });

  it('the owner sees both organizations’ rows, so the data is really there', async () => {
    for (const table of TENANT_TABLES) {
      const rows = await t.sql<{ organization_id: string }>(`SELECT DISTINCT organization_id FROM ${table} WHERE organization_id = ANY($1)`, [[a.organization.id, b.organization.id]]);
      expect(rows.map((row) => row.organization_id).sort()).toEqual([a.organization.id, b.organization.id].sort());
    }
  });

  it.each(TENANT_TABLES)('with no organization set, %s returns no rows', async (table) => {
    expect(await asApplication({}, `SELECT * FROM ${table}`)).toEqual([]);
  });

  it.each(TENANT_TABLES)('with organization B set, %s returns none of A’s rows', async (table) => {
    const rows = await asApplication<{ organization_id: string }>({ organizationId: b.organization.id }, `SELECT organization_id FROM ${table}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.organization_id === b.organization.id)).toBe(true);
  });

  describe('the monitoring bodies’ review records', () => {
    const both = () => [gamma.organization.id, delta.organization.id].sort();

    it('every one of their tables has row-level security enabled with a policy, and rows of both monitoring bodies', async () => {
      const rows = await t.sql<{ relname: string; relrowsecurity: boolean; policies: string }>(
        `SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname) AS policies
           FROM pg_class c WHERE c.relname = ANY($1)`,
        [MONITORING_BODY_TABLES],
      );
      expect(rows.map((row) => [row.relname, row.relrowsecurity, Number(row.policies) > 0]).sort()).toEqual(MONITORING_BODY_TABLES.map((table) => [table, true, true]).sort());
      for (const table of MONITORING_BODY_TABLES) {
        const owners = await t.sql<{ organization_id: string }>(`SELECT DISTINCT organization_id FROM ${table} ORDER BY organization_id`);
        expect({ table, owners: owners.map((row) => row.organization_id) }).toEqual({ table, owners: both() });
      }
    });

    it.each(MONITORING_BODY_TABLES)('with no organization set, %s returns no rows', async (table) => {
      expect(await asApplication({}, `SELECT * FROM ${table}`)).toEqual([]);
    });

    it.each(MONITORING_BODY_TABLES)('with monitoring body Delta set, %s returns only Delta’s rows', async (table) => {
      const rows = await asApplication<{ organization_id: string }>({ organizationId: delta.organization.id, userId: delta.user.id }, `SELECT organization_id FROM ${table}`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.organization_id === delta.organization.id)).toBe(true);
    });

    it.each(MONITORING_BODY_TABLES)('with the reviewed provider A set, %s returns nothing while the review is in progress', async (table) => {
      expect(await asApplication({ organizationId: a.organization.id, userId: a.user.id }, `SELECT * FROM ${table}`)).toEqual([]);
    });

    it('shows a provider its released findings, never the notes, and never another provider’s', async () => {
      await t.sql(`UPDATE findings SET released = true WHERE provider_id = $1`, [a.organization.id]);
      try {
        const asA = { organizationId: a.organization.id, userId: a.user.id };
        const released = await asApplication<{ provider_id: string; comment: string }>(asA, `SELECT provider_id, comment FROM findings`);
        expect(released).toEqual([{ provider_id: a.organization.id, comment: 'Not met.' }]);
        expect(await asApplication(asA, `SELECT * FROM finding_notes`)).toEqual([]);
        expect(await asApplication({ organizationId: b.organization.id, userId: b.user.id }, `SELECT * FROM findings`)).toEqual([]);
        expect(await asApplication({ organizationId: delta.organization.id }, `SELECT * FROM findings WHERE provider_id = $1`, [a.organization.id])).toEqual([]);
        // Released to A is not writable by A.
        await expect(asApplication(asA, `UPDATE findings SET comment = 'Rewritten' RETURNING id`)).resolves.toEqual([[], 0]);
      } finally {
        await t.sql(`UPDATE findings SET released = false WHERE provider_id = $1`, [a.organization.id]);
      }
    });

    it('refuses to write one monitoring body’s review records into or over another’s', async () => {
      const asDelta = { organizationId: delta.organization.id, userId: delta.user.id };
      const [findingOfGamma] = await t.sql<{ id: string; assessment_id: string; provider_id: string }>(`SELECT id, assessment_id, provider_id FROM findings WHERE organization_id = $1`, [gamma.organization.id]);
      await expect(
        asApplication(asDelta, `INSERT INTO findings (organization_id, provider_id, assessment_id, round, requirement_key, verdict) VALUES ($1, $2, $3, 1, 'PLANTED-01', 'accepted')`, [
          gamma.organization.id,
          findingOfGamma.provider_id,
          findingOfGamma.assessment_id,
        ]),
      ).rejects.toThrow(/row-level security/);
      await expect(asApplication(asDelta, `INSERT INTO finding_notes (finding_id, organization_id, note) VALUES ($1, $2, 'Planted')`, [findingOfGamma.id, gamma.organization.id])).rejects.toThrow(/row-level security/);
      for (const table of ['reviews', 'findings', 'finding_notes', 'section_summaries', 'decisions']) {
        await expect(asApplication(asDelta, `UPDATE ${table} SET organization_id = organization_id WHERE organization_id = $1`, [gamma.organization.id])).resolves.toEqual([[], 0]);
      }
      for (const table of ['reviews', 'findings', 'finding_notes', 'section_summaries']) {
        await expect(asApplication(asDelta, `DELETE FROM ${table} WHERE organization_id = $1`, [gamma.organization.id])).resolves.toEqual([[], 0]);
      }
      // Nor can Delta move its own records over to Gamma.
      await expect(asApplication(asDelta, `UPDATE reviews SET organization_id = $1`, [gamma.organization.id])).rejects.toThrow(/row-level security/);
      for (const table of MONITORING_BODY_TABLES) {
        const owners = await t.sql<{ organization_id: string }>(`SELECT DISTINCT organization_id FROM ${table} ORDER BY organization_id`);
        expect({ table, owners: owners.map((row) => row.organization_id) }).toEqual({ table, owners: both() });
      }
      expect(await t.sql(`SELECT id FROM findings WHERE requirement_key = 'PLANTED-01'`)).toEqual([]);
    });

    it('keeps declarations as they were made and decisions for good, even for their own monitoring body', async () => {
      const asGamma = { organizationId: gamma.organization.id, userId: gamma.user.id };
      await expect(asApplication(asGamma, `UPDATE review_declarations SET conflict = true`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(asGamma, `DELETE FROM review_declarations`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(asGamma, `DELETE FROM decisions`)).rejects.toThrow(/permission denied/);
    });
  });

  describe('complaints, which belong to the monitoring body of the entry they are about', () => {
    /** The entry of each monitoring body, put in the register by hand from the review in progress. */
    const entryOf = new Map<Actor, string>();

    /** A complaint filed as the public files it: as the application role, with no organization set. */
    async function file(entryId: string, reference: string): Promise<void> {
      await asApplication(
        {},
        `INSERT INTO complaints (id, reference, secret_hash, entry_id, category, text, email, client_key)
         VALUES (gen_random_uuid(), $1, repeat('a', 64), $2, 'other', 'Text of ' || $1, 'someone@example.net', repeat('b', 64))`,
        [reference, entryId],
      );
    }

    beforeAll(async () => {
      for (const [monitor, reference] of [
        [gamma, 'C-GGGG-0001'],
        [delta, 'C-DDDD-0001'],
      ] as const) {
        const [row] = await t.sql<{ id: string }>(
          `INSERT INTO register_entries (provider_id, service_id, code_id, code_version_id, monitoring_body_id, assessment_id, decision_id, verification_id, status, level,
                                         first_verified_at, decided_at, valid_until, public_summary, provider_name, service_name, code_slug, code_title, code_version,
                                         monitoring_body_name, evidence_root)
           SELECT a.organization_id, a.service_id, v.code_id, a.code_version_id, a.monitoring_body_id, a.id, d.id, 'RLS-' || left(a.id::text, 8), 'verified', 1,
                  now(), now(), current_date + 365, 'Verified.', 'Provider', 'Service', 'code', 'Code', '1.0.0', 'Monitor', repeat('0', 64)
             FROM assessments a JOIN code_versions v ON v.id = a.code_version_id JOIN decisions d ON d.assessment_id = a.id
            WHERE a.monitoring_body_id = $1
           RETURNING id`,
          [monitor.organization.id],
        );
        entryOf.set(monitor, row.id);
        await file(row.id, reference);
      }
    });

    it('has row-level security enabled, with policies', async () => {
      const [row] = await t.sql<{ relrowsecurity: boolean; policies: number }>(
        `SELECT c.relrowsecurity, (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname) AS policies FROM pg_class c WHERE c.relname = 'complaints'`,
      );
      expect(row).toEqual({ relrowsecurity: true, policies: 3 });
    });

    it('were given the monitoring body of their entry by the database', async () => {
      expect(await t.sql(`SELECT reference, monitoring_body_id FROM complaints WHERE reference IN ('C-GGGG-0001', 'C-DDDD-0001') ORDER BY reference`)).toEqual([
        { reference: 'C-DDDD-0001', monitoring_body_id: delta.organization.id },
        { reference: 'C-GGGG-0001', monitoring_body_id: gamma.organization.id },
      ]);
    });

    it('with no organization set, or a provider’s, return no rows', async () => {
      expect(await asApplication({}, `SELECT id FROM complaints`)).toEqual([]);
      for (const provider of [a, b]) expect(await asApplication({ organizationId: provider.organization.id, userId: provider.user.id }, `SELECT id FROM complaints`)).toEqual([]);
    });

    it('with monitoring body Delta set, return only Delta’s, and refuse to change Gamma’s', async () => {
      const asDelta = { organizationId: delta.organization.id, userId: delta.user.id };
      expect(await asApplication(asDelta, `SELECT reference, monitoring_body_id FROM complaints`)).toEqual([{ reference: 'C-DDDD-0001', monitoring_body_id: delta.organization.id }]);
      await expect(asApplication(asDelta, `UPDATE complaints SET status = 'investigating' WHERE reference = 'C-GGGG-0001'`)).resolves.toEqual([[], 0]);
      await expect(asApplication(asDelta, `SELECT client_key FROM complaints`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(asDelta, `DELETE FROM complaints`)).rejects.toThrow(/permission denied/);
      expect(await t.sql(`SELECT status FROM complaints WHERE reference = 'C-GGGG-0001'`)).toEqual([{ status: 'received' }]);
    });

    it('reach the public only through the view, without text, address or reference', async () => {
      const rows = await asApplication<Record<string, unknown>>({}, `SELECT * FROM public_complaints WHERE entry_id = ANY($1)`, [[...entryOf.values()]]);
      expect(rows).toHaveLength(2);
      expect(Object.keys(rows[0]).sort()).toEqual(['category', 'closed_at', 'entry_id', 'monitoring_body_id', 'public_outcome', 'received_at', 'status']);
      expect(JSON.stringify(rows)).not.toMatch(/someone@example\.net|Text of|C-GGGG|C-DDDD/);
    });
  });

  it('a person sees their own memberships in every organization, and no one else’s', async () => {
    const rows = await asApplication<{ user_id: string }>({ userId: a.user.id }, `SELECT user_id FROM memberships`);
    expect(rows).toEqual([{ user_id: a.user.id }]);
  });

  it('refuses to write a row into another organization', async () => {
    await expect(
      asApplication({ organizationId: b.organization.id }, `INSERT INTO invitations (organization_id, email, role, token_hash, expires_at) VALUES ($1, 'x@example.org', 'viewer', 'h', now())`, [a.organization.id]),
    ).rejects.toThrow(/row-level security/);
    await expect(
      asApplication({ organizationId: b.organization.id }, `UPDATE api_tokens SET name = 'hijacked' WHERE organization_id = $1 RETURNING id`, [a.organization.id]),
    ).resolves.toEqual([[], 0]);
    const names = await t.sql<{ name: string }>(`SELECT name FROM api_tokens WHERE organization_id = $1`, [a.organization.id]);
    expect(names).toEqual([{ name: 'ci' }]);
  });

  it('refuses to write, change or delete another organization’s services', async () => {
    const [serviceOfA] = await t.sql<{ id: string; name: string; profile: unknown; version: number }>(`SELECT id, name, profile, version FROM services WHERE organization_id = $1`, [
      a.organization.id,
    ]);
    const asB = { organizationId: b.organization.id };
    await expect(asApplication(asB, `INSERT INTO services (organization_id, name) VALUES ($1, 'Planted by B')`, [a.organization.id])).rejects.toThrow(/row-level security/);
    await expect(asApplication(asB, `UPDATE services SET name = 'Hijacked', profile = '{}' WHERE id = $1 RETURNING id`, [serviceOfA.id])).resolves.toEqual([[], 0]);
    await expect(asApplication(asB, `DELETE FROM services WHERE organization_id = $1 RETURNING id`, [a.organization.id])).resolves.toEqual([[], 0]);
    // Nor can B move its own service into A.
    await expect(asApplication(asB, `UPDATE services SET organization_id = $1 WHERE organization_id = $2`, [a.organization.id, b.organization.id])).rejects.toThrow(/row-level security/);
    expect(await t.sql(`SELECT id, name, profile, version FROM services WHERE organization_id = $1`, [a.organization.id])).toEqual([serviceOfA]);
    expect(await t.sql(`SELECT name FROM services WHERE organization_id = $1`, [b.organization.id])).toEqual([{ name: 'Beta Filters Messenger' }]);
    expect(await t.sql(`SELECT id FROM services WHERE name = 'Planted by B'`)).toEqual([]);
  });

  it('refuses to link another organization’s evidence to an answer, or to change its answers and evidence', async () => {
    const [answerOfB] = await t.sql<{ id: string }>(`SELECT id FROM answers WHERE organization_id = $1 LIMIT 1`, [b.organization.id]);
    const [evidenceOfA] = await t.sql<{ id: string }>(`SELECT id FROM evidence WHERE organization_id = $1`, [a.organization.id]);
    const asB = { organizationId: b.organization.id };
    await expect(asApplication(asB, `INSERT INTO answer_evidence (answer_id, evidence_id, organization_id) VALUES ($1, $2, $3)`, [answerOfB.id, evidenceOfA.id, b.organization.id])).rejects.toThrow(
      /foreign key/,
    );
    await expect(asApplication(asB, `UPDATE answers SET statement = 'Hijacked' WHERE organization_id = $1 RETURNING id`, [a.organization.id])).resolves.toEqual([[], 0]);
    await expect(asApplication(asB, `UPDATE evidence SET title = 'Hijacked' WHERE organization_id = $1 RETURNING id`, [a.organization.id])).resolves.toEqual([[], 0]);
    await expect(asApplication(asB, `DELETE FROM assessments WHERE organization_id = $1 RETURNING id`, [a.organization.id])).resolves.toEqual([[], 0]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM answers WHERE statement = 'Hijacked'`)).toEqual([{ n: 0 }]);
  });

  it('keeps evidence revisions and submissions as they were written, even for their own organization', async () => {
    const asA = { organizationId: a.organization.id };
    for (const table of ['evidence_revisions', 'assessment_submissions']) {
      await expect(asApplication(asA, `UPDATE ${table} SET organization_id = organization_id`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(asA, `DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
    }
    // Even the database owner, who may do anything else, cannot rewrite them.
    await expect(t.sql(`UPDATE evidence_revisions SET sha256 = repeat('0', 64)`)).rejects.toThrow(/never changes/);
    await expect(t.sql(`UPDATE assessment_submissions SET signatory_name = 'Someone else'`)).rejects.toThrow(/frozen record/);
  });

  it('the application role cannot change or erase the audit log', async () => {
    await expect(asApplication({ organizationId: a.organization.id }, `DELETE FROM audit_events`)).rejects.toThrow(/permission denied/);
    await expect(asApplication({ organizationId: a.organization.id }, `UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/permission denied/);
  });

  it('the application’s own scoped transactions run as the application role, limited to their organization', async () => {
    const host = t.app.get(TransactionHost);
    const seen = await host.runScoped({ organizationId: b.organization.id }, async () => ({
      role: (await host.manager.query(`SELECT current_user AS role`))[0].role,
      organizations: (await host.manager.query(`SELECT DISTINCT organization_id FROM memberships`)).map((row: { organization_id: string }) => row.organization_id),
    }));
    expect(seen).toEqual({ role: APPLICATION_ROLE, organizations: [b.organization.id] });
    const unscoped = await host.runScoped({}, async () => host.manager.query(`SELECT * FROM api_tokens`));
    expect(unscoped).toEqual([]);
  });

  it('the application role is not a superuser and does not bypass row-level security', async () => {
    const [role] = await t.sql<{ rolsuper: boolean; rolbypassrls: boolean }>(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [APPLICATION_ROLE]);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });
});
