import hbs from 'hbs';
import request from 'supertest';
import { PublicComplaints } from '../src/complaints/public-complaints';
import { clientKey } from '../src/complaints/client-key';
import { TransactionHost } from '../src/database/transaction-host';
import { NotificationDelivery } from '../src/notifications/notification-delivery';
import { asCaller, CODE, createToken, OPERATOR_ENV, UNKNOWN_ID, VERSION, type AssessmentBody } from './support/assessment-fixtures';
import { complaintId, COMPLAINT, fileComplaint, fileRequest, followRequest, newClient, onComplaints, REFERENCE } from './support/complaint-fixtures';
import { asApplication, monitoringBody, onAssessment, onReview, openReview, recordFindings, verifiedAssessment, type RegisterRow, type Team } from './support/review-fixtures';
import { textOf } from './support/html';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { SIGNATORY } from './support/verification-fixtures';

const SESSION_SECRET = 'test-session-secret-that-is-long-enough-1234';
const PER_HOUR = 3;

/** Complaints about register entries: filed and followed by anyone, handled by the entry's monitoring body. */
describe('complaints', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  let stranger: Team;
  let entry: RegisterRow;
  let assessmentId: string;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, COMPLAINTS_PER_HOUR: String(PER_HOUR), NOTIFICATION_POLL_SECONDS: '0', EXPIRY_JOB_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Complained Provider' });
    team = await monitoringBody(t, 'Complaint Monitor');
    stranger = await monitoringBody(t, 'Stranger Monitor');
    const verified = await verifiedAssessment(t, provider, team);
    entry = verified.entry;
    assessmentId = verified.assessment.id;
  }, 120_000);
  afterAll(() => t.close());

  const admin = () => team.admin;
  const reviewer = () => asCaller(team.lead);
  const count = async (sql: string, params: unknown[] = []) => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;
  const events = async (entryId: string) => t.sql<{ id: string; kind: string; reason: string | null }>(`SELECT id::text, kind, reason FROM register_events WHERE entry_id = $1 ORDER BY id`, [entryId]);

  describe('a complaint’s life through the API', () => {
    it('is filed, followed, investigated and upheld with a suspension that the register shows', async () => {
      const filed = await fileComplaint(t, entry.id, { ...COMPLAINT, email: 'worried@example.net' });
      expect(filed).toEqual({ reference: expect.stringMatching(REFERENCE), secret: expect.any(String), status: 'received', followUrl: 'http://localhost:3000/register/complaints/follow' });
      expect(filed.secret.length).toBeGreaterThanOrEqual(40);
      // Only the secret's hash is kept.
      const [stored] = await t.sql<{ secret_hash: string; monitoring_body_id: string; client_key: string }>(`SELECT secret_hash, monitoring_body_id, client_key FROM complaints WHERE reference = $1`, [filed.reference]);
      expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored)).not.toContain(filed.secret);
      expect(stored.monitoring_body_id).toBe(team.monitor.organization.id);

      const followed = await followRequest(t, filed.reference, filed.secret).expect(200);
      expect(followed.body).toEqual({
        reference: filed.reference,
        entryId: entry.id,
        category: 'non_compliance',
        status: 'received',
        text: COMPLAINT.text,
        publicOutcome: null,
        receivedAt: expect.any(String),
        updatedAt: expect.any(String),
        closedAt: null,
      });
      // Typed as people do: lower case, spaces, an O for a zero.
      const typed = filed.reference.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
      await followRequest(t, typed, filed.secret).expect(200);

      const id = await complaintId(t, filed.reference);
      const listed = await onComplaints(t, team.monitor, reviewer(), 'get').expect(200);
      expect(listed.body).toContainEqual(
        expect.objectContaining({ id, reference: filed.reference, status: 'received', category: 'non_compliance', version: 1, entry: expect.objectContaining({ id: entry.id, verificationId: entry.verification_id, status: 'verified' }) }),
      );
      const read = await onComplaints(t, team.monitor, reviewer(), 'get', `/${id}`).expect(200);
      expect(read.body).toMatchObject({ text: COMPLAINT.text, email: 'worried@example.net', allowed: ['investigating', 'upheld', 'dismissed'], actionable: true, registerEvent: null });

      const investigating = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'investigating', version: 1 }).expect(200);
      expect(investigating.body).toMatchObject({ status: 'investigating', version: 2, allowed: ['upheld', 'dismissed'] });
      expect((await followRequest(t, filed.reference, filed.secret).expect(200)).body.status).toBe('investigating');

      const outcome = 'The provider sold licences without vetting. The verification is suspended while it puts this right.';
      const upheld = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'upheld', publicOutcome: outcome, action: 'suspend', version: 2 }).expect(200);
      const history = await events(entry.id);
      expect(history.map((event) => event.kind)).toEqual(['verified', 'suspended']);
      expect(history[1].reason).toBe(outcome);
      expect(upheld.body).toMatchObject({
        status: 'upheld',
        version: 3,
        publicOutcome: outcome,
        closedAt: expect.any(String),
        allowed: [],
        entry: { status: 'suspended' },
        registerEvent: { id: history[1].id, kind: 'suspended', status: 'suspended', verificationId: entry.verification_id, reason: outcome },
      });
      expect(await t.sql(`SELECT register_event_id::text FROM complaints WHERE id = $1`, [id])).toEqual([{ register_event_id: history[1].id }]);
      expect(await t.sql(`SELECT status FROM register_entries WHERE id = $1`, [entry.id])).toEqual([{ status: 'suspended' }]);
      expect(((await onAssessment(t, provider, 'get', `/${assessmentId}`).expect(200)).body as AssessmentBody).state).toBe('suspended');

      // Decided is final.
      const again = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'dismissed', publicOutcome: 'No.', version: 3 }).expect(409);
      expect(again.body).toMatchObject({ message: 'This complaint cannot be dismissed: it is upheld; its outcome is final.', details: { status: 'upheld', allowed: [] } });

      expect((await followRequest(t, filed.reference, filed.secret).expect(200)).body).toMatchObject({ status: 'upheld', publicOutcome: outcome, closedAt: expect.any(String) });
      expect(await t.sql(`SELECT action, data->>'from' AS "from" FROM audit_events WHERE target_id = $1 ORDER BY id`, [id])).toEqual([
        { action: 'complaint.investigating', from: 'received' },
        { action: 'complaint.upheld', from: 'investigating' },
      ]);
      expect(await count(`audit_events WHERE target_id = $1 AND action = 'assessment.suspend'`, [assessmentId])).toBe(1);

      // The monitoring body's admins heard it arrived; the complainant heard of each move, the provider of the suspension.
      expect(await t.sql(`SELECT event, roles, emails, link FROM notifications WHERE key = $1`, [`complaint_received:${id}`])).toEqual([
        { event: 'complaint_received', roles: ['admin'], emails: [], link: `/app/${team.monitor.organization.slug}/complaints/${id}` },
      ]);
      const updates = await t.sql<{ key: string; organization_id: string; emails: string[]; user_ids: string[]; roles: string[]; subject: string; body: string }>(
        `SELECT key, organization_id, emails, user_ids, roles, subject, body FROM notifications WHERE event = 'complaint_updated' AND key LIKE $1 ORDER BY key`,
        [`complaint_updated:${id}:%`],
      );
      expect(updates.map(({ key, organization_id, emails, user_ids, roles }) => ({ key, organization_id, emails, user_ids, roles }))).toEqual(
        [2, 3].map((version) => ({ key: `complaint_updated:${id}:${version}`, organization_id: team.monitor.organization.id, emails: ['worried@example.net'], user_ids: [], roles: [] })),
      );
      expect(updates[1].subject).toBe(`Your complaint ${filed.reference}: upheld`);
      expect(updates[1].body).toContain(outcome);
      expect(updates[1].body).toContain(`verification ${entry.verification_id} is suspended`);
      expect(updates[1].body).not.toContain(filed.secret);
      expect(await count(`notifications WHERE event = 'suspended' AND organization_id = $1 AND key LIKE $2`, [provider.organization.id, `suspended:${entry.id}:%`])).toBe(1);

      // Delivered to the address as it was given, with no account behind it.
      await t.app.get(NotificationDelivery).deliverDue();
      expect(
        await t.sql(`SELECT d.user_id, d.email, d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.key = $1`, [`complaint_updated:${id}:3`]),
      ).toEqual([{ user_id: null, email: 'worried@example.net', status: 'logged' }]);

      // Reinstated for the tests that follow.
      await onReview(t, team, admin(), 'post', `/${assessmentId}/reinstate`).send({}).expect(200);
    }, 60_000);

    it('is dismissed without touching the register, and without an address nobody is mailed', async () => {
      const filed = await fileComplaint(t, entry.id, { category: 'inaccurate_information', text: 'The country is wrong.' });
      const id = await complaintId(t, filed.reference);
      const before = await events(entry.id);
      const dismissed = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'dismissed', publicOutcome: 'The country is right.', version: 1 }).expect(200);
      expect(dismissed.body).toMatchObject({ status: 'dismissed', publicOutcome: 'The country is right.', registerEvent: null, email: null });
      expect(await events(entry.id)).toEqual(before);
      expect(await count(`notifications WHERE key LIKE $1`, [`complaint_updated:${id}:%`])).toBe(0);
      expect((await followRequest(t, filed.reference, filed.secret).expect(200)).body).toMatchObject({ status: 'dismissed', publicOutcome: 'The country is right.' });
    });

    it('can be upheld with a revocation, whose reason is the one given', async () => {
      const other = await verifiedAssessment(t, provider, team);
      const filed = await fileComplaint(t, other.entry.id);
      const id = await complaintId(t, filed.reference);
      await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`)
        .send({ status: 'upheld', publicOutcome: 'Confirmed.', action: 'revoke', reason: 'Licences sold without vetting.', version: 1 })
        .expect(200);
      expect((await events(other.entry.id)).map(({ kind, reason }) => ({ kind, reason }))).toEqual([
        { kind: 'verified', reason: null },
        { kind: 'revoked', reason: 'Licences sold without vetting.' },
      ]);
      // An action the verification no longer allows rolls the whole move back.
      const second = await fileComplaint(t, other.entry.id);
      const secondId = await complaintId(t, second.reference);
      const refused = await onComplaints(t, team.monitor, admin(), 'post', `/${secondId}/status`).send({ status: 'upheld', publicOutcome: 'Also.', action: 'suspend', version: 1 }).expect(409);
      expect(refused.body.message).toMatch(/it is revoked/);
      expect(await t.sql(`SELECT status, version FROM complaints WHERE id = $1`, [secondId])).toEqual([{ status: 'received', version: 1 }]);
      expect(await count(`audit_events WHERE target_id = $1`, [secondId])).toBe(0);
    }, 60_000);
  });

  describe('handling', () => {
    let id: string;
    beforeAll(async () => {
      id = await complaintId(t, (await fileComplaint(t, entry.id)).reference);
    });

    it('refuses a stale version with 409 and the current one, and changes nothing', async () => {
      await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'investigating', version: 1 }).expect(200);
      const stale = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'dismissed', publicOutcome: 'Nothing found.', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ details: { current: { status: 'investigating', version: 2 } } });
      expect(stale.body.message).toMatch(/^Someone changed this complaint at .* \(it is now under investigation, version 2\); reload it before you change it\.$/);
      expect(await t.sql(`SELECT status, version FROM complaints WHERE id = $1`, [id])).toEqual([{ status: 'investigating', version: 2 }]);
    });

    it('refuses a move the statuses do not allow, naming the status and what is allowed', async () => {
      const refused = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'investigating', version: 2 }).expect(409);
      expect(refused.body).toMatchObject({
        message: 'This complaint cannot be under investigation: it is under investigation; from there it can be upheld or dismissed.',
        details: { status: 'investigating', allowed: ['upheld', 'dismissed'] },
      });
    });

    it.each([
      ['an unknown status', 'status', { status: 'closed', version: 2 }],
      ['upholding without a public outcome', 'publicOutcome', { status: 'upheld', version: 2 }],
      ['dismissing with a blank public outcome', 'publicOutcome', { status: 'dismissed', publicOutcome: '   ', version: 2 }],
      ['a public outcome while investigating', 'publicOutcome', { status: 'investigating', publicOutcome: 'Too soon.', version: 2 }],
      ['an action with a dismissal', 'action', { status: 'dismissed', publicOutcome: 'No.', action: 'suspend', version: 2 }],
      ['an unknown action', 'action', { status: 'upheld', publicOutcome: 'Yes.', action: 'delete', version: 2 }],
      ['a reason without an action', 'reason', { status: 'upheld', publicOutcome: 'Yes.', reason: 'Because.', version: 2 }],
      ['no version', 'version', { status: 'dismissed', publicOutcome: 'No.' }],
      ['an unknown field', 'monitoringBodyId', { status: 'dismissed', publicOutcome: 'No.', version: 2, monitoringBodyId: UNKNOWN_ID }],
    ])('refuses %s with 400 naming %s', async (_case, field, body) => {
      const refused = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send(body).expect(400);
      expect(Object.keys(refused.body.details)).toEqual([field]);
      expect(await t.sql(`SELECT status, version FROM complaints WHERE id = $1`, [id])).toEqual([{ status: 'investigating', version: 2 }]);
    });

    it('lists by status, and refuses a filter that is no status', async () => {
      const open = await onComplaints(t, team.monitor, admin(), 'get', '?status=open').expect(200);
      expect(open.body.map((item: { status: string }) => item.status).every((status: string) => ['received', 'investigating'].includes(status))).toBe(true);
      expect(open.body.map((item: { id: string }) => item.id)).toContain(id);
      const upheld = await onComplaints(t, team.monitor, admin(), 'get', '?status=upheld').expect(200);
      expect(upheld.body.length).toBeGreaterThan(0);
      expect(upheld.body.every((item: { status: string }) => item.status === 'upheld')).toBe(true);
      const refused = await onComplaints(t, team.monitor, admin(), 'get', '?status=closed').expect(400);
      expect(Object.keys(refused.body.details)).toEqual(['status']);
    });
  });

  describe('who may handle complaints', () => {
    let id: string;
    beforeAll(async () => {
      id = await complaintId(t, (await fileComplaint(t, entry.id)).reference);
    });

    it('another monitoring body gets 404 on every route, and its own list does not show the complaint', async () => {
      const outsider = stranger.admin;
      for (const [method, path] of [['get', ''], ['get', `/${id}`], ['post', `/${id}/status`]] as const) {
        const response = await onComplaints(t, team.monitor, outsider, method, path).send({ status: 'investigating', version: 1 });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
      // Its own routes, with this complaint's id, find nothing either.
      await onComplaints(t, stranger.monitor, outsider, 'get', `/${id}`).expect(404);
      await onComplaints(t, stranger.monitor, outsider, 'post', `/${id}/status`).send({ status: 'investigating', version: 1 }).expect(404);
      expect((await onComplaints(t, stranger.monitor, outsider, 'get').expect(200)).body).toEqual([]);
      expect(await t.sql(`SELECT status, version FROM complaints WHERE id = $1`, [id])).toEqual([{ status: 'received', version: 1 }]);
    });

    it('a provider gets 404 on the monitoring body’s routes and 403 on its own', async () => {
      const owner = asCaller(provider);
      await onComplaints(t, team.monitor, owner, 'get').expect(404);
      await onComplaints(t, team.monitor, owner, 'post', `/${id}/status`).send({ status: 'investigating', version: 1 }).expect(404);
      await onComplaints(t, provider, owner, 'get').expect(403);
      await onComplaints(t, provider, owner, 'get', `/${id}`).expect(403);
    });

    it('a reviewer reads but does not handle; nobody signed out does either', async () => {
      await onComplaints(t, team.monitor, reviewer(), 'get', `/${id}`).expect(200);
      const refused = await onComplaints(t, team.monitor, reviewer(), 'post', `/${id}/status`).send({ status: 'investigating', version: 1 }).expect(403);
      expect(refused.body.message).toBe('Your role (reviewer) does not allow complaints.handle.');
      await request(t.server).get(`/api/v1/orgs/${team.monitor.organization.slug}/complaints`).expect(401);
      await request(t.server).post(`/api/v1/orgs/${team.monitor.organization.slug}/complaints/${id}/status`).send({ status: 'investigating', version: 1 }).expect(401);
    });

    it('API tokens read complaints but never handle them', async () => {
      const read = { token: await createToken(team.monitor, ['read']) };
      const write = { token: await createToken(team.monitor, ['write']) };
      await onComplaints(t, team.monitor, read, 'get').expect(200);
      await onComplaints(t, team.monitor, read, 'get', `/${id}`).expect(200);
      for (const token of [read, write]) {
        const refused = await onComplaints(t, team.monitor, token, 'post', `/${id}/status`).send({ status: 'investigating', version: 1 }).expect(403);
        expect(refused.body.message).toMatch(/do not allow complaints\.handle/);
      }
      // A provider's token does not read them, even of its own organization.
      const providerToken = { token: await createToken(provider, ['read']) };
      await onComplaints(t, provider, providerToken, 'get').expect(403);
      await onComplaints(t, team.monitor, providerToken, 'get').expect(404);
      expect(await t.sql(`SELECT status, version FROM complaints WHERE id = $1`, [id])).toEqual([{ status: 'received', version: 1 }]);
    });
  });

  describe('filing and following', () => {
    it.each([
      ['no category', ['category'], { text: 'Something.' }],
      ['an unknown category', ['category'], { category: 'rude_staff', text: 'Something.' }],
      ['no text', ['text'], { category: 'other' }],
      ['a blank text', ['text'], { category: 'other', text: '  \n ' }],
      ['a text too long', ['text'], { category: 'other', text: 'x'.repeat(5_001) }],
      ['a text that is no text', ['text'], { category: 'other', text: 42 }],
      ['an address that is none', ['email'], { category: 'other', text: 'Something.', email: 'not an address' }],
      ['an address with a name', ['email'], { category: 'other', text: 'Something.', email: 'Ada <ada@example.org>' }],
      ['a monitoring body of the caller’s choosing', ['monitoringBodyId'], { ...COMPLAINT, monitoringBodyId: UNKNOWN_ID }],
      ['a status of the caller’s choosing', ['status'], { ...COMPLAINT, status: 'upheld' }],
    ])('refuses %s with 400 naming %j', async (_case, fields, body) => {
      const before = await count('complaints');
      const refused = await fileRequest(t, entry.id, body, newClient()).expect(400);
      expect(Object.keys(refused.body.details).sort()).toEqual(fields);
      expect(await count('complaints')).toBe(before);
    });

    it('accepts a text of exactly 5000 characters, and an empty address as none', async () => {
      const filed = await fileComplaint(t, entry.id, { category: 'other', text: 'y'.repeat(5_000), email: '' });
      expect(await t.sql(`SELECT length(text) AS length, email FROM complaints WHERE reference = $1`, [filed.reference])).toEqual([{ length: 5_000, email: null }]);
    });

    it('answers 404 for an entry that does not exist, and writes nothing', async () => {
      const before = await count('complaints');
      for (const id of [UNKNOWN_ID, 'not-an-id']) {
        const response = await fileRequest(t, id, COMPLAINT, newClient()).expect(404);
        expect(response.body.message).toBe('There is no register entry with this id.');
      }
      expect(await count('complaints')).toBe(before);
    });

    it('answers a wrong secret and a wrong reference with the same 404', async () => {
      const filed = await fileComplaint(t, entry.id);
      const wrongSecret = await followRequest(t, filed.reference, `${filed.secret.slice(0, -1)}x`).expect(404);
      const wrongReference = await followRequest(t, 'C-0000-0000', filed.secret).expect(404);
      const nonsense = await followRequest(t, 'whatever', 'whatever').expect(404);
      expect(wrongSecret.body).toEqual(wrongReference.body);
      expect(nonsense.body).toEqual(wrongReference.body);
      expect(wrongSecret.body.message).toBe('No complaint matches this reference and secret. Check both as they were shown when you filed it.');
      const missing = await followRequest(t, '', '').expect(400);
      expect(Object.keys(missing.body.details).sort()).toEqual(['reference', 'secret']);
    });

    it('takes no secret or reference in the URL, and keeps both out of caches', async () => {
      const filed = await fileRequest(t, entry.id, COMPLAINT, newClient()).expect(201);
      expect(filed.headers['cache-control']).toBe('no-store');
      await request(t.server).get(`/api/v1/register/complaints/follow?reference=${filed.body.reference}&secret=${filed.body.secret}`).expect(404);
      const followed = await followRequest(t, filed.body.reference, filed.body.secret).expect(200);
      expect(followed.headers['cache-control']).toBe('no-store');
    });

    it('goes to the entry’s monitoring body, whatever the caller sends', async () => {
      const filed = await fileComplaint(t, entry.id);
      expect(await t.sql(`SELECT monitoring_body_id FROM complaints WHERE reference = $1`, [filed.reference])).toEqual([{ monitoring_body_id: team.monitor.organization.id }]);
    });
  });

  describe('the rate limit', () => {
    it(`takes ${PER_HOUR} complaints an hour from one client, across entries, then answers 429 with when to try again`, async () => {
      const client = newClient();
      const other = await verifiedAssessment(t, provider, team);
      for (const [index, entryId] of [entry.id, other.entry.id, entry.id].entries()) {
        await fileRequest(t, entryId, { ...COMPLAINT, text: `Complaint ${index}.` }, client).expect(201);
      }
      const refused = await fileRequest(t, other.entry.id, COMPLAINT, client).expect(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3_500);
      expect(retryAfter).toBeLessThanOrEqual(3_600);
      expect(refused.body.message).toMatch(new RegExp(`^You have filed ${PER_HOUR} complaints within the past hour, as many as one network may\\. Try again after \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(in about (59|60) minutes\\)\\.$`));
      expect(Date.parse(refused.body.retryAt) - Date.now()).toBeGreaterThan(3_500_000);
      // Another client is not held back.
      await fileRequest(t, entry.id, COMPLAINT, newClient()).expect(201);

      // An hour later for the oldest, one place is free again, and only one.
      const key = clientKey(client, SESSION_SECRET);
      expect(await count(`complaints WHERE client_key = $1`, [key])).toBe(PER_HOUR);
      await t.sql(`UPDATE complaints SET received_at = received_at - interval '61 minutes' WHERE id = (SELECT id FROM complaints WHERE client_key = $1 ORDER BY received_at LIMIT 1)`, [key]);
      await fileRequest(t, entry.id, COMPLAINT, client).expect(201);
      await fileRequest(t, entry.id, COMPLAINT, client).expect(429);
    }, 60_000);

    it('holds when one client files many at once', async () => {
      const client = newClient();
      const responses = await Promise.all(Array.from({ length: PER_HOUR + 4 }, (_, index) => fileRequest(t, entry.id, { ...COMPLAINT, text: `At once ${index}.` }, client)));
      expect(responses.map((response) => response.status).sort()).toEqual([...Array(PER_HOUR).fill(201), ...Array(4).fill(429)]);
      expect(await count(`complaints WHERE client_key = $1`, [clientKey(client, SESSION_SECRET)])).toBe(PER_HOUR);
    });

    it('counts an IPv6 client by its /64', async () => {
      const prefix = '2001:db8:77:1';
      for (let host = 1; host <= PER_HOUR; host += 1) await fileRequest(t, entry.id, COMPLAINT, `${prefix}::${host}`).expect(201);
      await fileRequest(t, entry.id, COMPLAINT, `${prefix}:ffff::9`).expect(429);
      await fileRequest(t, entry.id, COMPLAINT, '2001:db8:77:2::1').expect(201);
    });
  });

  describe('what the public may know', () => {
    it('PublicComplaints and the public view show counts, categories and outcomes, never text, address or reference', async () => {
      const text = 'A very particular sentence that only the monitoring body may read.';
      const email = 'private.person@example.net';
      const filed = await fileComplaint(t, entry.id, { category: 'privacy_concern', text, email });
      const id = await complaintId(t, filed.reference);
      const outcome = 'Nothing wrong was found with the privacy notice.';
      await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'dismissed', publicOutcome: outcome, version: 1 }).expect(200);

      const host = t.app.get(TransactionHost);
      const published = await host.runScoped({}, async () => ({ entry: await t.app.get(PublicComplaints).forEntry(entry.id), all: await t.app.get(PublicComplaints).byOutcome() }));
      const byStatus = await t.sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM complaints WHERE entry_id = $1 GROUP BY status`, [entry.id]);
      expect(published.entry.counts).toEqual({ received: 0, investigating: 0, upheld: 0, dismissed: 0, ...Object.fromEntries(byStatus.map((row) => [row.status, row.n])) });
      expect(published.entry.outcomes[0]).toEqual({ category: 'privacy_concern', categoryLabel: 'A privacy or data protection concern', status: 'dismissed', publicOutcome: outcome, receivedAt: expect.any(String), closedAt: expect.any(String) });
      expect(published.entry.outcomes).toHaveLength(published.entry.counts.upheld + published.entry.counts.dismissed);
      expect(published.all.dismissed).toBeGreaterThanOrEqual(published.entry.counts.dismissed);
      const shown = JSON.stringify(published);
      for (const secret of [text, email, filed.reference, filed.secret, COMPLAINT.text]) expect(shown).not.toContain(secret);

      const view = await asApplication(t, {}, `SELECT * FROM public_complaints WHERE entry_id = $1`, [entry.id]);
      expect(Object.keys(view[0]).sort()).toEqual(['category', 'closed_at', 'entry_id', 'monitoring_body_id', 'public_outcome', 'received_at', 'status']);
      expect(JSON.stringify(view)).not.toContain(email);
      // The partial the entry's page includes.
      const html = hbs.handlebars.compile('{{> register_complaints complaints=complaints id=id}}')({ complaints: published.entry, id: entry.id });
      expect(textOf(html)).toContain(`Complaints Received, not yet investigated: ${published.entry.counts.received} Under investigation: ${published.entry.counts.investigating} Upheld: ${published.entry.counts.upheld} Dismissed: ${published.entry.counts.dismissed}`);
      expect(textOf(html)).toContain(`Dismissed · A privacy or data protection concern · received `);
      expect(textOf(html)).toContain(outcome);
      expect(html).toContain(`<a href="/register/${entry.id}/complaints/new">Complain about this entry</a>`);
      for (const secret of [text, email, filed.reference]) expect(html).not.toContain(secret);

      const nonsense = await host.runScoped({}, () => t.app.get(PublicComplaints).forEntry('not-an-id'));
      expect(nonsense).toEqual({ counts: { received: 0, investigating: 0, upheld: 0, dismissed: 0 }, outcomes: [] });
    });

    it('the application role reads complaints only as their monitoring body, and never the client key or secret hash', async () => {
      const asPublic = {};
      const asBody = { organizationId: team.monitor.organization.id, userId: team.monitor.user.id };
      const asOther = { organizationId: stranger.monitor.organization.id, userId: stranger.monitor.user.id };
      const asProvider = { organizationId: provider.organization.id, userId: provider.user.id };
      expect(await asApplication(t, asPublic, `SELECT id FROM complaints`)).toEqual([]);
      expect(await asApplication(t, asOther, `SELECT id FROM complaints`)).toEqual([]);
      expect(await asApplication(t, asProvider, `SELECT id FROM complaints`)).toEqual([]);
      const own = await asApplication<{ monitoring_body_id: string }>(t, asBody, `SELECT monitoring_body_id FROM complaints`);
      expect(own.length).toBe(await count(`complaints WHERE monitoring_body_id = $1`, [team.monitor.organization.id]));
      await expect(asApplication(t, asBody, `SELECT client_key FROM complaints`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(t, asBody, `SELECT secret_hash FROM complaints`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(t, asBody, `DELETE FROM complaints`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(t, asBody, `UPDATE complaints SET text = 'rewritten'`)).rejects.toThrow(/permission denied/);
      await expect(asApplication(t, asBody, `UPDATE complaints SET monitoring_body_id = $1`, [stranger.monitor.organization.id])).rejects.toThrow(/permission denied/);
      // Another body's complaints cannot be changed, even by naming them.
      await expect(asApplication(t, asOther, `UPDATE complaints SET status = 'dismissed' WHERE monitoring_body_id = $1`, [team.monitor.organization.id])).resolves.toEqual([[], 0]);
      // Filing cannot name the monitoring body or the status.
      const filing = (columns: string, values: string, params: unknown[]) =>
        asApplication(t, asPublic, `INSERT INTO complaints (id, reference, secret_hash, entry_id, category, text, client_key${columns}) VALUES (gen_random_uuid(), 'C-ZZZZ-ZZZZ', repeat('a', 64), $1, 'other', 'x', repeat('b', 64)${values})`, [entry.id, ...params]);
      await expect(filing(', monitoring_body_id', ', $2', [stranger.monitor.organization.id])).rejects.toThrow(/permission denied/);
      await expect(filing(', status', `, 'upheld'`, [])).rejects.toThrow(/permission denied/);
      await filing('', '', []);
      expect(await t.sql(`SELECT monitoring_body_id, status FROM complaints WHERE reference = 'C-ZZZZ-ZZZZ'`)).toEqual([{ monitoring_body_id: team.monitor.organization.id, status: 'received' }]);
    });
  });

  describe('an entry renewed at another monitoring body', () => {
    it('leaves earlier complaints with the body they were filed with, which can decide but no longer suspend; new ones go to the new body', async () => {
      const earlier = await verifiedAssessment(t, provider, team);
      const filed = await fileComplaint(t, earlier.entry.id, { ...COMPLAINT, email: 'renewal@example.net' });
      const id = await complaintId(t, filed.reference);

      const renewal = (
        await onAssessment(t, provider, 'post', '')
          .send({ serviceId: earlier.serviceId, code: CODE, version: VERSION, monitoringBody: stranger.monitor.organization.slug, targetLevel: 2, copyFrom: earlier.assessment.id })
          .expect(201)
      ).body as AssessmentBody;
      await onAssessment(t, provider, 'post', `/${renewal.id}/submit`).send({ signatory: SIGNATORY }).expect(200);
      await openReview(t, stranger, renewal.id);
      await recordFindings(t, stranger, renewal.id);
      await onReview(t, stranger, asCaller(stranger.lead), 'post', `/${renewal.id}/decision`).send({ outcome: 'verified', publicSummary: 'Renewed elsewhere.' }).expect(201);
      await onReview(t, stranger, asCaller(stranger.second), 'post', `/${renewal.id}/decision/approve`).send({}).expect(200);
      expect(await t.sql(`SELECT monitoring_body_id FROM register_entries WHERE id = $1`, [earlier.entry.id])).toEqual([{ monitoring_body_id: stranger.monitor.organization.id }]);

      const read = await onComplaints(t, team.monitor, admin(), 'get', `/${id}`).expect(200);
      expect(read.body).toMatchObject({ actionable: false, entry: { monitoringBodyName: 'Stranger Monitor' } });
      const refused = await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'upheld', publicOutcome: 'Confirmed.', action: 'suspend', version: 1 }).expect(409);
      expect(refused.body.message).toBe(
        'The entry has since been verified by Stranger Monitor, and only that monitoring body can suspend it. Uphold the complaint without an action, and pass it on to Stranger Monitor if it calls for one.',
      );
      await onComplaints(t, team.monitor, admin(), 'post', `/${id}/status`).send({ status: 'upheld', publicOutcome: 'Confirmed; passed on to the new monitoring body.', version: 1 }).expect(200);
      await onComplaints(t, stranger.monitor, stranger.admin, 'get', `/${id}`).expect(404);
      expect(await t.sql(`SELECT organization_id FROM notifications WHERE key = $1`, [`complaint_updated:${id}:2`])).toEqual([{ organization_id: team.monitor.organization.id }]);

      const later = await fileComplaint(t, earlier.entry.id);
      const laterId = await complaintId(t, later.reference);
      expect((await onComplaints(t, stranger.monitor, stranger.admin, 'get', `/${laterId}`).expect(200)).body.actionable).toBe(true);
      await onComplaints(t, team.monitor, admin(), 'get', `/${laterId}`).expect(404);
      expect(await t.sql(`SELECT organization_id FROM notifications WHERE key = $1`, [`complaint_received:${laterId}`])).toEqual([{ organization_id: stranger.monitor.organization.id }]);
    }, 90_000);
  });
});
