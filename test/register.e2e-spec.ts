import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { CODE, OPERATOR_ENV, UNKNOWN_ID, VERSION } from './support/assessment-fixtures';
import { decode, textOf } from './support/html';
import { monitoringBody, onReview, verifiedAssessment, type Team } from './support/review-fixtures';
import { seedEntries } from './support/register-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { DataSource } from 'typeorm';
import { TransactionHost } from '../src/database/transaction-host';
import { merkleRoot } from '../src/register/merkle-root';

interface EntryBody {
  id: string;
  verificationId: string;
  status: string;
  level: number;
  provider: { name: string; country: string | null };
  service: { name: string };
  code: { slug: string; title: string; version: string };
  monitoringBody: { id: string; name: string };
  validUntil: string;
  conditions: string | null;
  sections: Array<{ key: string; title: string; publicSummary: string | null }>;
  evidence: { count: number; merkleRoot: string; items: Array<{ sha256: string; revision: number; title: string | null }> };
  history: Array<{ id: string; kind: string; status: string; reason: string | null }>;
}

/** The public register: pages, API, CSV, feed, statistics, badge and HTTP caching. */
describe('the public register', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  let real: { id: string; assessmentId: string; verificationId: string; evidenceSha: string };
  let seeded: string[];
  const anonymous = () => request(t.server);

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    provider = await t.signUp({ organization: 'Guardian Scan Ltd' });
    team = await monitoringBody(t, 'Northern Monitoring');
    const verified = await verifiedAssessment(t, provider, team, { conditions: 'Report detection error rates every quarter.', publicSummary: 'The tool limits scanning to known hashes.' });
    const [{ sha }] = await t.sql<{ sha: string }>(`SELECT sha256 AS sha FROM evidence_revisions WHERE evidence_id = $1`, [verified.evidence.id]);
    real = { id: verified.entry.id, assessmentId: verified.assessment.id, verificationId: verified.verificationId, evidenceSha: sha };
    seeded = await seedEntries(t, real.id, [
      { provider: 'Aurora Safety GmbH', country: 'DE', service: 'Aurora Hash Matcher', level: 2, summary: 'Perceptual hashing with human review of every match.' },
      { provider: 'Beacon Trust BV', country: 'NL', service: 'Beacon Classifier', status: 'suspended', level: 1, summary: 'Classifier for grooming conversations.' },
      { provider: 'Cobalt Shield Ltd', country: 'GB', service: 'Cobalt Stream Scanner', status: 'revoked', level: 1 },
      { provider: 'Delta Guard Oy', country: 'FI', service: 'Delta Detector', status: 'expired', level: 2, validUntil: '2025-01-31' },
      { provider: 'Aurora Safety GmbH', country: 'DE', service: 'Aurora Grooming Alerts', level: 1, summary: 'Grooming detection in chats, with an appeal route.' },
    ]);
  }, 120_000);
  afterAll(() => t.close());

  const list = (query: string) => anonymous().get(`/api/v1/register?${query}`).expect(200);
  const names = (body: { entries: Array<{ service: { name: string } }> }) => body.entries.map((entry) => entry.service.name);

  describe('an entry', () => {
    it('shows everything the decision made public, by API and page', async () => {
      const body = (await anonymous().get(`/api/v1/register/${real.id}`).expect(200)).body as EntryBody;
      expect(body).toMatchObject({
        id: real.id,
        verificationId: real.verificationId,
        status: 'verified',
        level: 2,
        provider: { name: 'Guardian Scan Ltd' },
        code: { slug: CODE, version: VERSION },
        monitoringBody: { name: 'Northern Monitoring' },
        conditions: 'Report detection error rates every quarter.',
      });
      expect(body.sections.length).toBeGreaterThan(0);
      // The text evidence is confidential to the monitoring body by default: its digest, never its title.
      expect(body.evidence).toEqual({ count: 1, merkleRoot: merkleRoot([real.evidenceSha]), items: [{ sha256: real.evidenceSha, revision: 1, title: null }] });
      expect(body.history.map((event) => event.kind)).toEqual(['verified']);
      expect(body).toMatchObject({ complaints: { counts: { received: 0, investigating: 0, upheld: 0, dismissed: 0 }, outcomes: [] } });

      const page = textOf(await anonymous().get(`/register/${real.id}`).expect(200).then((response) => response.text));
      for (const shown of ['Guardian Scan Ltd', 'Northern Monitoring', real.verificationId, 'Report detection error rates every quarter.', 'The tool limits scanning to known hashes.', real.evidenceSha, merkleRoot([real.evidenceSha]), 'verified']) {
        expect(page).toContain(shown);
      }
      expect(page).not.toContain('Licensing policy');
      const html = (await anonymous().get(`/register/${real.id}`)).text;
      expect(html).toContain(`href="/codes/${CODE}/${VERSION}"`);
      expect(html).toContain(`href="/register/${real.id}/complaints/new"`);
      expect(html).toContain(`href="/api/v1/register/${real.id}/attestation"`);
    });

    it('keeps the full history of status changes with their public reasons', async () => {
      await onReview(t, team, team.admin, 'post', `/${real.assessmentId}/suspend`).send({ reason: 'Audit of the matching threshold pending.' }).expect(200);
      await onReview(t, team, team.admin, 'post', `/${real.assessmentId}/reinstate`).send({ reason: 'Threshold audited.' }).expect(200);
      const body = (await anonymous().get(`/api/v1/register/${real.id}`).expect(200)).body as EntryBody;
      expect(body.status).toBe('verified');
      expect(body.history.map(({ kind, status, reason }) => ({ kind, status, reason }))).toEqual([
        { kind: 'verified', status: 'verified', reason: null },
        { kind: 'suspended', status: 'suspended', reason: 'Audit of the matching threshold pending.' },
        { kind: 'reinstated', status: 'verified', reason: 'Threshold audited.' },
      ]);
      const page = textOf((await anonymous().get(`/register/${real.id}`).expect(200)).text);
      expect(page).toContain('Audit of the matching threshold pending.');
      expect(page).toContain('Threshold audited.');
    });

    it('answers 404 for an unknown or malformed id', async () => {
      for (const id of [UNKNOWN_ID, 'not-an-id']) {
        expect((await anonymous().get(`/api/v1/register/${id}`).expect(404)).body.message).toBe('There is no register entry with this id.');
        await anonymous().get(`/register/${id}`).expect(404);
      }
    });
  });

  describe('search, filters, order and pages', () => {
    it('finds entries by provider, service, code and words of a summary, as prefixes', async () => {
      expect(names(await list('q=aurora').then((r) => r.body)).sort()).toEqual(['Aurora Grooming Alerts', 'Aurora Hash Matcher']);
      expect(names(await list('q=groom').then((r) => r.body)).sort()).toEqual(['Aurora Grooming Alerts', 'Beacon Classifier']);
      expect(names(await list('q=perceptual%20review').then((r) => r.body))).toEqual(['Aurora Hash Matcher']);
      expect(names(await list(`q=${real.verificationId}`).then((r) => r.body))).toHaveLength(1);
      expect((await list('q=northern').then((r) => r.body)).total).toBe(6);
      expect((await list('q=%22%27%3A*%26!').then((r) => r.body)).total).toBe(0);
    });

    it('filters by code, status, level, monitoring body and country', async () => {
      expect(names((await list('status=suspended')).body)).toEqual(['Beacon Classifier']);
      expect((await list('level=2')).body.total).toBe(3);
      expect(names((await list('country=de&level=1')).body)).toEqual(['Aurora Grooming Alerts']);
      expect((await list(`code=${CODE}`)).body.total).toBe(6);
      expect((await list('code=another-code')).body.total).toBe(0);
      expect((await list(`body=${team.monitor.organization.id}`)).body.total).toBe(6);
      expect((await list(`body=${UNKNOWN_ID}`)).body.total).toBe(0);
    });

    it('names the field of a bad filter in a 400', async () => {
      for (const [query, field] of [['status=lapsed', 'status'], ['level=high', 'level'], ['country=Germany', 'country'], ['body=x', 'body'], ['sort=random', 'sort'], ['limit=0', 'limit'], ['extra=1', 'extra']]) {
        const response = await anonymous().get(`/api/v1/register?${query}`).expect(400);
        expect(JSON.stringify(response.body)).toContain(field);
      }
      await anonymous().get('/register?level=high').expect(400);
    });

    it('sorts by provider, latest decision, validity and relevance', async () => {
      const byProvider = (await list('sort=provider')).body.entries.map((entry: { provider: { name: string } }) => entry.provider.name);
      expect(byProvider).toEqual([...byProvider].sort((a, b) => a.localeCompare(b)));
      const byValidity = (await list('sort=valid_until')).body.entries.map((entry: { validUntil: string }) => entry.validUntil);
      expect(byValidity).toEqual([...byValidity].sort());
      expect(byValidity[0]).toBe('2025-01-31');
      const decided = (await list('sort=decided')).body.entries.map((entry: { decidedAt: string }) => entry.decidedAt);
      expect(decided).toEqual([...decided].sort().reverse());
      // A match in the names ranks above a match in a summary.
      expect(names((await list('q=grooming')).body)[0]).toBe('Aurora Grooming Alerts');
    });

    it('walks the whole register with cursors, in every order, each entry once', async () => {
      const all = (await list('limit=100')).body.entries.map((entry: { id: string }) => entry.id).sort();
      expect(all).toHaveLength(6);
      for (const query of ['sort=provider', 'sort=decided', 'sort=valid_until', 'q=northern&sort=relevance']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const body: { entries: Array<{ id: string }>; nextCursor: string | null } = (await list(`${query}&limit=4${cursor ? `&cursor=${cursor}` : ''}`)).body;
          seen.push(...body.entries.map((entry) => entry.id));
          cursor = body.nextCursor;
        } while (cursor);
        expect(seen.slice().sort()).toEqual(all);
      }
      expect((await anonymous().get('/api/v1/register?cursor=garbage').expect(400)).body.message).toContain('cursor');
    });

    it('pages the web list with links that keep the filters', async () => {
      const html = (await anonymous().get('/register?q=northern&status=verified').expect(200)).text;
      expect(textOf(html)).toContain('Showing 1–3 of 3 entries');
      expect(html).toMatch(/<option value="verified" selected>/);
      await seedEntries(t, real.id, Array.from({ length: 21 }, (_, index) => ({ provider: 'Zeta Pager', service: `Zeta Service ${String(index).padStart(2, '0')}` })));
      const first = (await anonymous().get('/register?q=zeta&sort=provider').expect(200)).text;
      expect(textOf(first)).toContain('Showing 1–20 of 21 entries');
      expect(textOf(first)).toContain('Zeta Service 19');
      expect(decode(first)).toContain('href="/register?q=zeta&sort=provider&page=2"');
      const second = textOf((await anonymous().get('/register?q=zeta&sort=provider&page=2').expect(200)).text);
      expect(second).toContain('Showing 21–21 of 21 entries');
      expect(second).toContain('Zeta Service 20');
      expect(second).not.toContain('Zeta Service 19');
    });

    it('takes the search form as a browser sends it, unchosen filters empty, and offers each filter’s values by name', async () => {
      const html = (await anonymous().get('/register?q=aurora&code=&status=&level=&body=&country=&sort=provider&page=').expect(200)).text;
      expect(textOf(html)).toContain('Showing 1–2 of 2 entries');
      expect((await anonymous().get('/api/v1/register?q=aurora&level=&limit=&body=').expect(200)).body.total).toBe(2);
      expect(html).toContain(`<option value="${team.monitor.organization.id}">Northern Monitoring</option>`);
      expect(html).toMatch(new RegExp(`<option value="${CODE}">[^<]+</option>`));
      expect(html).toContain('<option value="DE">DE</option>');
    });

    it('says so when nothing matches', async () => {
      expect(textOf((await anonymous().get('/register?q=nothingmatchesthis').expect(200)).text)).toContain('No entry matches these filters.');
    });
  });

  describe('downloads and feeds', () => {
    it('streams the whole register as CSV', async () => {
      const response = await anonymous().get('/api/v1/register.csv').expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toContain('adhere-register.csv');
      const rows = parse(response.text, { columns: true }) as Array<Record<string, string>>;
      const total = (await list('limit=1')).body.total;
      expect(rows).toHaveLength(total);
      expect(rows.find((row) => row.id === real.id)).toMatchObject({ verification_id: real.verificationId, provider: 'Guardian Scan Ltd', status: 'verified', level: '2', evidence_count: '1', evidence_merkle_root: merkleRoot([real.evidenceSha]) });
      await anonymous().get('/api/v1/register.csv').set('If-None-Match', response.headers.etag).expect(304);
    });

    it('quotes fields as RFC 4180 asks, so commas, quotes and line breaks survive', async () => {
      const awkward = { service: 'Scanner "Pro", edition 2', summary: 'First line, with a comma.\nSecond line with "quotes".' };
      const [id] = await seedEntries(t, real.id, [{ provider: 'Quoting Test Ltd', ...awkward }]);
      const rows = parse((await anonymous().get('/api/v1/register.csv').expect(200)).text, { columns: true }) as Array<Record<string, string>>;
      expect(rows.find((row) => row.id === id)).toMatchObject({ service: awkward.service, public_summary: awkward.summary, url: expect.stringMatching(new RegExp(`/register/${id}$`)) });
    });

    it('feeds register events after a given one', async () => {
      const all = (await anonymous().get('/api/v1/register/events?limit=500').expect(200)).body as { events: Array<{ id: string; entryId: string; kind: string }>; latest: string };
      const ids = all.events.map((event) => Number(event.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const ofReal = all.events.filter((event) => event.entryId === real.id).map((event) => event.kind);
      expect(ofReal.slice(0, 3)).toEqual(['verified', 'suspended', 'reinstated']);
      const after = all.events[1].id;
      const rest = (await anonymous().get(`/api/v1/register/events?after=${after}&limit=2`).expect(200)).body;
      expect(rest.events.map((event: { id: string }) => event.id)).toEqual(all.events.slice(2, 4).map((event) => event.id));
      expect(rest.next).toBe(all.events[3].id);
      await anonymous().get('/api/v1/register/events?after=-1').expect(400);
    });

    it('counts the register on the statistics page and in JSON', async () => {
      const figures = (await anonymous().get('/api/v1/register/statistics').expect(200)).body;
      const total = (await list('limit=1')).body.total;
      expect(figures.entries.total).toBe(total);
      expect(figures.entries.byStatus).toMatchObject({ suspended: 1, revoked: 1, expired: 1 });
      expect(figures.entries.byMonitoringBody).toEqual([{ id: team.monitor.organization.id, name: 'Northern Monitoring', count: total }]);
      expect(figures.daysToDecision.decisions).toBe(1);
      expect(figures.daysToDecision.median).toEqual(expect.any(Number));
      expect(figures.complaints).toEqual({ received: 0, investigating: 0, upheld: 0, dismissed: 0 });
      const page = textOf((await anonymous().get('/register/statistics').expect(200)).text);
      expect(page).toContain('Entries by status');
      expect(page).toContain('Complaints by outcome');
      expect(page).toContain('Northern Monitoring');
    });
  });

  describe('badge', () => {
    it.each([
      ['verified', 0, '#15803d'],
      ['suspended', 1, '#b45309'],
      ['revoked', 2, '#b91c1c'],
      ['expired', 3, '#4b5563'],
    ])('shows a %s entry in its colour', async (status, index, colour) => {
      const response = await anonymous().get(`/register/${seeded[index]}/badge.svg`).expect(200);
      expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(response.headers['cache-control']).toBe('public, max-age=60');
      const svg = response.body.toString();
      expect(svg).toContain(`aria-label="Adhere register: ${status} · level`);
      expect(svg).toContain(`fill="${colour}"`);
    });

    it('may be embedded by other sites, and their scripts may read the public API', async () => {
      const badge = await anonymous().get(`/register/${seeded[0]}/badge.svg`).expect(200);
      expect(badge.headers['cross-origin-resource-policy']).toBe('cross-origin');
      for (const path of ['/api/v1/register', `/api/v1/register/${real.id}`, '/api/v1/register.csv', '/api/v1/register/events', '/api/v1/register/statistics', `/api/v1/register/${real.id}/attestation`, '/.well-known/jwks.json']) {
        const response = await anonymous().get(path).expect(200);
        expect({ path, cors: response.headers['access-control-allow-origin'], corp: response.headers['cross-origin-resource-policy'] }).toEqual({ path, cors: '*', corp: 'cross-origin' });
      }
      const page = await anonymous().get(`/register/${real.id}`).expect(200);
      expect(page.headers['access-control-allow-origin']).toBeUndefined();
      expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
    });

    it('says an unknown entry is not registered, with a 404', async () => {
      const response = await anonymous().get(`/register/${UNKNOWN_ID}/badge.svg`).expect(404);
      expect(response.body.toString()).toContain('not registered');
    });
  });

  describe('caching', () => {
    it('revalidates with a 304 until the entry changes, then shows the change at once', async () => {
      for (const path of [`/register/${real.id}`, `/api/v1/register/${real.id}`, '/register', '/api/v1/register', '/register/statistics']) {
        const first = await anonymous().get(path).expect(200);
        expect(first.headers['cache-control']).toBe('public, no-cache');
        expect(first.headers.etag).toMatch(/^W\/"r\d+-/);
        await anonymous().get(path).set('If-None-Match', first.headers.etag).expect(304);
      }
      const before = await anonymous().get(`/api/v1/register/${real.id}`).expect(200);
      await onReview(t, team, team.admin, 'post', `/${real.assessmentId}/suspend`).send({ reason: 'A new complaint is examined.' }).expect(200);
      const after = await anonymous().get(`/api/v1/register/${real.id}`).set('If-None-Match', before.headers.etag).expect(200);
      expect(after.body.status).toBe('suspended');
      const badge = (await anonymous().get(`/register/${real.id}/badge.svg`).expect(200)).body.toString();
      expect(badge).toContain('suspended');
      await onReview(t, team, team.admin, 'post', `/${real.assessmentId}/reinstate`).send({}).expect(200);
    });

    it('checks the revision as the application role, which ends with that one statement', async () => {
      const tx = t.app.get(TransactionHost);
      expect(await tx.readPublic<{ role: string }>(`SELECT current_user AS role`)).toEqual([{ role: 'adhere_app' }]);
      await expect(tx.readPublic(`SELECT 1 / 0`)).rejects.toThrow(/division by zero/);
      const [owner] = await t.app.get(DataSource).query(`SELECT current_user AS role`);
      expect(owner.role).not.toBe('adhere_app');
    });

    it('never lets a cache keep a signed-in visitor’s page', async () => {
      const response = await provider.agent.get('/register').expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });
});
