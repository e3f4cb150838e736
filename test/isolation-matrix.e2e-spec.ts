import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { newSecretToken } from '../src/common/secret-token';
import { AppConfig } from '../src/config/app-config.service';
import { csrfFrom } from './support/html';
import { routeTable } from './support/route-table';
import { SoftwareAuthenticator, UNSIGNED_ASSERTION, UNSIGNED_REGISTRATION } from './support/software-authenticator';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';

/**
 * Tenant isolation, route by route and caller by caller.
 *
 * A target provider A (and a target monitoring body M) carry a canary in every string they own. Every
 * route the controllers declare is called by seven actors with A's real resources in its path and a body
 * that would be accepted if the caller were allowed. For each call the test checks
 *   - the status against EXPECTED, which is derived from the access rules, not recorded;
 *   - that a refused call (and any GET) wrote nothing: A's and M's rows, the code catalogue and the
 *     global identity tables are fingerprinted after every call and compared with the previous state;
 *   - that a caller who does not belong to A never sees A's canary, in any body, page or header, and
 *     that nobody sees M's;
 *   - that an outsider's 404 on A is exactly the 404 of an organization that does not exist;
 *   - that every answer to a caller with a session or an API token, a refusal included, carries
 *     `Cache-Control: no-store`, whatever the route (public ones too): no cache may keep it.
 * Then A's ids are tried through the outsiders' own organizations (THROUGH_OWN_ORGANIZATION), and M's
 * accreditations, reviews and complaints with M in the path (MONITORING_BODY_TARGET). A's own viewer and
 * tokens must see the canary on the reads that return A's data, which proves the seeding is real and the
 * "never sees it" checks are not vacuous; the number of outsider responses checked is compared with a
 * count made before any request, so no check can be skipped silently.
 *
 * The public register needs an entry, and A cannot have one: an entry shows its provider's name by
 * design, and A's name carries the canary. So a third provider P, whose strings carry no canary, has a
 * service verified by M: the register's and attestations' `:id` is P's entry, and the complaint filed
 * about it is M's (a complaint belongs to the entry's monitoring body), which gives M's complaint routes
 * a real `:id`.
 */

// ─── Markers ───────────────────────────────────────────────────────────────────────────────────────────

/** In every private string of A. Lower-case hex, so A's slug is `target-canarya…`. */
const CANARY = `CANARYA${randomBytes(6).toString('hex')}`;
/**
 * In the names and addresses of M's people. None of the seven actors belongs to M, so it must not reach
 * any of them, on any route.
 */
const CANARY_M = `CANARYM${randomBytes(6).toString('hex')}`;
/**
 * In M's organization name. Once M is accredited for a code, its name, country and website are public by
 * design (the code pages list the accredited monitoring bodies), so the name cannot carry a private
 * canary; this marker proves the accreditation really is there.
 */
const MB_PUBLIC = `MBPUBLIC${randomBytes(6).toString('hex')}`;
/**
 * In the name of P's service, which P's register entry shows to anyone: proves that the register's
 * routes really show that entry, so that their canary checks are not vacuous.
 */
const ENTRY_PUBLIC = `ENTRYPUBLIC${randomBytes(6).toString('hex')}`;

const CODE = 'csea-detection-tools';
const VERSION = '1.0.0';
const OPERATOR = { email: 'isolation-operator@example.org', password: 'operator passphrase for isolation' };
const GREEN_HOSTING_YAML = readFileSync(join(__dirname, 'fixtures', 'codes', 'green-hosting-1.0.0.yaml'), 'utf8');
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

// ─── Actors ────────────────────────────────────────────────────────────────────────────────────────────

/** The actors of the matrix, in the order of the columns of EXPECTED. */
const ACTORS = ['anonymous', 'otherProvider', 'otherMonitoringBody', 'providerViewer', 'readToken', 'expiredToken', 'revokedToken'] as const;
type ActorName = (typeof ACTORS)[number];
/** Callers who do not belong to A: the canary must never reach them. */
const OUTSIDERS: readonly ActorName[] = ['anonymous', 'otherProvider', 'otherMonitoringBody'];
const TOKEN_ACTORS: readonly ActorName[] = ['readToken', 'expiredToken', 'revokedToken'];

// ─── Expectations ──────────────────────────────────────────────────────────────────────────────────────

type Status = number | readonly number[];
/** One status per actor, in the order of ACTORS. */
type Row = readonly [anonymous: Status, otherProvider: Status, otherMonitoringBody: Status, providerViewer: Status, readToken: Status, expiredToken: Status, revokedToken: Status];

/** A file in a multipart body: its part is always named `file`, the field the upload routes read. */
interface FilePart {
  name: string;
  contentType: string;
  content: string;
}
type Body =
  | { json: Record<string, unknown> }
  | { form: Array<[string, string]> }
  | { yaml: string }
  | { csv: string }
  | { multipart: { fields: Array<[string, string]>; file: FilePart } }
  | { none: true };
const NO_BODY = (): Body => ({ none: true });
/** A text file (plain UTF-8 text is accepted evidence): a new revision of A's file evidence. */
const revisionUpload = (c: BodyContext): Body => ({
  multipart: { fields: [['note', `Probe revision ${c.n}`], ['confirmation', 'true']], file: { name: `probe-${c.n}.txt`, contentType: 'text/plain', content: `Probe revision ${c.n}\n` } },
});
/** A's first answer of the draft assessment in the columns of the CSV export, which the import reads back. */
const answersCsv = (c: BodyContext): string =>
  [
    'requirement_key,claim,statement,justification,evidence_ids,version',
    [c.s.assessment.requirementKey, 'met', `Probe ${c.n}`, '', c.s.evidence.id, String(c.s.assessment.answerVersion)].join(','),
  ].join('\n') + '\n';
/** A's first answer of the draft assessment, as the API and the section form take it. */
const probeAnswer = (c: BodyContext) => ({ claim: 'met', statement: `Probe ${c.n}`, evidenceIds: [c.s.evidence.id], version: c.s.assessment.answerVersion });
/** The same answer as the workspace's section form posts it: `answers[KEY][field]`, the evidence as a list. */
const sectionForm = (c: BodyContext): Array<[string, string]> => {
  const { evidenceIds, ...fields } = probeAnswer(c);
  const name = (field: string) => `answers[${c.s.assessment.requirementKey}][${field}]`;
  return [...Object.entries(fields).map(([field, value]): [string, string] => [name(field), String(value)]), ...evidenceIds.map((id): [string, string] => [`${name('evidenceIds')}[]`, id])];
};
/** A role that exists in the organization of the path (viewer for a provider, reviewer for a monitoring body). */
const lowestRole = (c: { orgKind: string }) => (c.orgKind === 'provider' ? 'viewer' : 'reviewer');
/** M's reviewers swapped, on the version of M's assignment: a reassignment M's admin could make. */
const reassignment = (c: BodyContext) => ({ lead: c.s.mReview.secondId, second: c.s.mReview.leadId, version: 1 });

interface Person {
  email: string;
  password: string;
}

interface BodyContext {
  s: Seed;
  actor: ActorName;
  /** The account behind the request's credentials, for routes whose body names it (sign-in, password). */
  person: Person;
  /** Unique per request, for names and emails that must not collide. */
  n: string;
  /** For password changes: the new password this request sets. */
  newPassword: string;
  /** The kind of the organization in the path: roles differ between providers and monitoring bodies. */
  orgKind: 'provider' | 'monitoring_body';
}

interface RouteSpec {
  expect: Row;
  /** Query string a valid request needs. */
  query?: string;
  /** Required for every write: a body that would be accepted if the caller were allowed. */
  body?: (c: BodyContext) => Body;
  /**
   * The route starts, ends or replaces a session, or changes a password: it is called on a throwaway
   * session (see freshCaller), so the actors' own sessions survive, and these routes run last.
   */
  throwaway?: true;
  /**
   * The `:token` in the path is A's invitation secret, the credential by design ("the invitation link is
   * the credential": whoever holds it may see it and accept it). Whoever calls may therefore see A's name
   * and website and the invited address; nothing else of A.
   */
  invitationLink?: true;
  /** Actors whose successful call legitimately changes A's rows (accepting A's invitation adds a member). */
  writesTarget?: readonly ActorName[];
  /** Returns A's own data: A's viewer and read token must see the canary in it. */
  readsTarget?: true;
  /** Lists the monitoring bodies accredited for the code: M's public marker must be in it. */
  listsAccreditedBodies?: true;
  /** Shows P's register entry (public by design): its public marker must be in every successful answer. */
  showsEntry?: true;
  /**
   * Files a complaint about P's entry, which anyone may: a successful call adds exactly one complaint,
   * which is M's row (a complaint belongs to the entry's monitoring body), and changes nothing else of
   * A's or M's. A refused one writes nothing, as any refusal.
   */
  filesComplaint?: true;
  /** A write that only computes its answer (checking an attestation, following a complaint): even when it succeeds it writes nothing. */
  writesNothing?: true;
  /** Sets ctx.newPassword as the person's password when it succeeds. */
  changesPassword?: true;
}

/*
 * How the statuses follow from the rules (src/auth/access.guard.ts, src/access/permissions.ts, exceptions.filter.ts):
 * - The guard authenticates before it looks at the rule: a Bearer token that is expired or revoked is a
 *   401 on every route, public ones included (an invalid credential is refused, never ignored). A 401 on
 *   a web GET is a 303 to /signin; on a web POST it stays 401 (the form or the error page). `/.well-known/`
 *   is a machine endpoint (isApiRequest), so its 401 stays a 401, in JSON.
 * - public: the route's own success status for everyone else.
 * - signed-in: anonymous 401 (web GET 303); an API token 403 ("needs a signed-in person"); a person passes.
 * - operator: anonymous 401 (web GET 303); any other person 403; an API token 403.
 * - organization (:org is A): anonymous 401 (web GET 303); a person who is not a member of A, and so
 *   both outsiders, 404 exactly like a missing organization; A's viewer 403 unless viewer grants the
 *   permission (organization.read, members.read, services.read, evidence.read, assessments.read); a read
 *   token 403 unless the permission needs only the read scope and some provider role grants it
 *   (organization.read, members.read, audit.read, services.read, evidence.read, assessments.read; not
 *   reviews.read, reports.read or complaints.read, which only a monitoring body's roles grant); never for
 *   `member` permissions (members.manage, organization.update, tokens.manage, assessments.sign: signing a
 *   declaration is a person's act, so even a write token could not).
 * - Cookie writes carry the caller's own valid CSRF token (anonymous: its own anonymous session's), so
 *   the CSRF check passes and what is tested is authorization: anonymous web POSTs get 401, not 403.
 *   A page's file upload (multipart) carries it in the query (`?_csrf=`), as the page's form does: its
 *   body is read only after the guard, which checks the token before the rule.
 * - `:org` is always A, also on the monitoring-body flavoured accreditation routes: the matrix is about A,
 *   A's viewer and tokens see A's (empty) accreditations, and the outsiders must get 404 there as well.
 *   The same routes with M, which has an accreditation to hide, are in MONITORING_BODY_TARGET.
 * No status below is "genuinely ambiguous", so every entry is a single number.
 * Columns: anonymous, otherProvider, otherMonitoringBody, providerViewer, readToken, expiredToken, revokedToken.
 */
const EXPECTED: Record<string, RouteSpec> = {
  // ── public pages and machine endpoints ──
  'GET /':                                                { expect: [200, 200, 200, 200, 200, 303, 303] },
  'GET /health/live':                                     { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /health/ready':                                    { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /signin':                                          { expect: [200, 200, 200, 200, 200, 303, 303] },
  'GET /signin/sso':                                      { expect: [200, 200, 200, 200, 200, 303, 303] },
  'POST /api/v1/auth/sso/discover':                       { expect: [200, 200, 200, 200, 200, 401, 401], writesNothing: true, body: (c) => ({ json: { email: `probe-${c.n}@nowhere.example` } }) },
  'GET /auth/sso/start':                                  { expect: [302, 302, 302, 302, 302, 303, 303], query: '?email=probe%40nowhere.example' },
  'GET /auth/sso/callback':                               { expect: [400, 400, 400, 400, 400, 303, 303], query: '?code=probe&state=probe' },
  'GET /signup':                                          { expect: [200, 200, 200, 200, 200, 303, 303] },
  'GET /signout':                                         { expect: [200, 200, 200, 200, 200, 303, 303] },
  'GET /login':                                           { expect: [301, 301, 301, 301, 301, 303, 303] },
  'GET /logout':                                          { expect: [301, 301, 301, 301, 301, 303, 303] },

  // ── public codes (the code is csea-detection-tools, the version 1.0.0) ──
  'GET /api/v1/codes':                                    { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /api/v1/codes/:code':                              { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /api/v1/codes/:code/diff':                         { expect: [200, 200, 200, 200, 200, 401, 401], query: `?from=${VERSION}&to=${VERSION}` },
  'GET /api/v1/codes/:code/monitoring-bodies':            { expect: [200, 200, 200, 200, 200, 401, 401], listsAccreditedBodies: true },
  'GET /api/v1/codes/:code/versions/:version':            { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /api/v1/codes/:code/versions/:version/source':     { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /codes':                                           { expect: [200, 200, 200, 200, 200, 303, 303] },
  // The code's page redirects to its current version: 302 is its success.
  'GET /codes/:code':                                     { expect: [302, 302, 302, 302, 302, 303, 303] },
  'GET /codes/:code/:version':                            { expect: [200, 200, 200, 200, 200, 303, 303], listsAccreditedBodies: true },
  'GET /codes/:code/diff':                                { expect: [200, 200, 200, 200, 200, 303, 303], query: `?from=${VERSION}&to=${VERSION}` },

  // ── the public register (:id is P's entry, which M verified: public by design, and free of A's and M's canaries) ──
  'GET /api/v1/register':                                 { expect: [200, 200, 200, 200, 200, 401, 401], showsEntry: true },
  'GET /api/v1/register.csv':                             { expect: [200, 200, 200, 200, 200, 401, 401], showsEntry: true },
  'GET /api/v1/register/events':                          { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /api/v1/register/statistics':                      { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /api/v1/register/:id':                             { expect: [200, 200, 200, 200, 200, 401, 401], showsEntry: true },
  'GET /register':                                        { expect: [200, 200, 200, 200, 200, 303, 303], showsEntry: true },
  'GET /register/statistics':                             { expect: [200, 200, 200, 200, 200, 303, 303] },
  'GET /register/:id':                                    { expect: [200, 200, 200, 200, 200, 303, 303], showsEntry: true },
  'GET /register/:id/badge.svg':                          { expect: [200, 200, 200, 200, 200, 303, 303] },

  // ── attestations of P's entry, and the keys and pages that check them (public; checking writes nothing) ──
  'GET /.well-known/jwks.json':                           { expect: [200, 200, 200, 200, 200, 401, 401] },
  'GET /api/v1/register/:id/attestation':                 { expect: [200, 200, 200, 200, 200, 401, 401], showsEntry: true },
  'POST /api/v1/register/verify':                         { expect: [200, 200, 200, 200, 200, 401, 401], writesNothing: true, showsEntry: true, body: (c) => ({ json: { attestation: c.s.entry.attestation } }) },
  'GET /register/verify':                                 { expect: [200, 200, 200, 200, 200, 303, 303] },
  'POST /register/verify':                                { expect: [200, 200, 200, 200, 200, 401, 401], writesNothing: true, showsEntry: true, body: (c) => ({ form: [['attestation', c.s.entry.attestation]] }) },

  // ── complaints about P's entry, filed and followed by anyone (the follow routes use the seeded complaint's
  //    reference and secret, the credential by design). The filing page's success is its receipt: 200. ──
  'POST /api/v1/register/:id/complaints':                 { expect: [201, 201, 201, 201, 201, 401, 401], filesComplaint: true, body: (c) => ({ json: { category: 'other', text: `Probe complaint ${c.n}` } }) },
  'POST /api/v1/register/complaints/follow':              { expect: [200, 200, 200, 200, 200, 401, 401], writesNothing: true, body: (c) => ({ json: { reference: c.s.complaint.reference, secret: c.s.complaint.secret } }) },
  'GET /register/:id/complaints/new':                     { expect: [200, 200, 200, 200, 200, 303, 303], showsEntry: true },
  'POST /register/:id/complaints':                        { expect: [200, 200, 200, 200, 200, 401, 401], filesComplaint: true, showsEntry: true, body: (c) => ({ form: [['category', 'other'], ['text', `Probe complaint ${c.n}`]] }) },
  'GET /register/complaints/follow':                      { expect: [200, 200, 200, 200, 200, 303, 303] },
  'POST /register/complaints/follow':                     { expect: [200, 200, 200, 200, 200, 401, 401], writesNothing: true, showsEntry: true, body: (c) => ({ form: [['reference', c.s.complaint.reference], ['secret', c.s.complaint.secret]] }) },

  // ── operator: codes and accreditations (:id is M's accreditation) ──
  'POST /api/v1/codes':                                   { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ yaml: GREEN_HOSTING_YAML }) },
  'POST /api/v1/codes/validate':                          { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ yaml: GREEN_HOSTING_YAML }) },
  'GET /api/v1/codes/:code/accreditations':               { expect: [401, 403, 403, 403, 403, 401, 401] },
  'POST /api/v1/codes/:code/accreditations':              { expect: [401, 403, 403, 403, 403, 401, 401], body: (c) => ({ json: { organization: c.s.m2Slug, validFrom: day(-1), validUntil: day(365) } }) },
  'POST /api/v1/codes/:code/accreditations/:id/end':      { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { reason: 'Probe: ending an accreditation' } }) },
  // 1.0.0 is published: for the operator, publish would be a 409 and retire a 200. Either way the guard
  // decides first, and neither can be mistaken for the refusals expected here.
  'POST /api/v1/codes/:code/versions/:version/publish':   { expect: [401, 403, 403, 403, 403, 401, 401], body: NO_BODY },
  'POST /api/v1/codes/:code/versions/:version/retire':    { expect: [401, 403, 403, 403, 403, 401, 401], body: NO_BODY },
  'GET /operator/codes':                                  { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /operator/codes/import':                           { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /operator/codes/:code/accreditations':             { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /operator/notifications':                          { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /operator/screening':                              { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /api/v1/operator/hash-lists':                      { expect: [401, 403, 403, 403, 403, 401, 401] },
  'POST /api/v1/operator/hash-lists':                     { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ multipart: { fields: [['name', 'probe-list']], file: { name: 'list.txt', contentType: 'text/plain', content: `${'a'.repeat(64)}\n` } } }) },
  'DELETE /api/v1/operator/hash-lists/:id':               { expect: [401, 403, 403, 403, 403, 401, 401], body: NO_BODY },
  'GET /api/v1/operator/upload-incidents':                { expect: [401, 403, 403, 403, 403, 401, 401] },
  'POST /api/v1/operator/upload-incidents/:id/resolve':   { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { note: 'Probe: resolving', version: 1 } }) },
  'POST /operator/screening/hash-lists':                  { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['name', 'probe-list'], ['text', `${'a'.repeat(64)}\n`]] }) },
  'POST /operator/screening/hash-lists/:id/delete':       { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /operator/screening/incidents/:id/resolve':       { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['note', 'Probe: resolving'], ['version', '1']] }) },
  'GET /app/admin/sso-domains':                           { expect: [303, 403, 403, 403, 403, 303, 303] },
  'POST /app/admin/sso-domains/:domain/confirm':          { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /app/admin/sso-domains/:domain/reject':           { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'GET /api/v1/admin/sso-domains':                        { expect: [401, 403, 403, 403, 403, 401, 401] },
  'POST /api/v1/admin/sso-domains/:domain/confirm':       { expect: [401, 403, 403, 403, 403, 401, 401], body: NO_BODY },
  'POST /api/v1/admin/sso-domains/:domain/reject':        { expect: [401, 403, 403, 403, 403, 401, 401], body: NO_BODY },
  'POST /operator/codes/check':                           { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['source', GREEN_HOSTING_YAML]] }) },
  'POST /operator/codes/import':                          { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['source', GREEN_HOSTING_YAML]] }) },
  'POST /operator/codes/:code/versions/:version/publish': { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /operator/codes/:code/versions/:version/retire':  { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /operator/codes/:code/accreditations':            { expect: [401, 403, 403, 403, 403, 401, 401], body: (c) => ({ form: [['organization', c.s.m2Slug], ['validFrom', day(-1)], ['validUntil', day(365)]] }) },
  'POST /operator/codes/:code/accreditations/:id/end':    { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['reason', 'Probe: ending an accreditation']] }) },

  // ── operator: administration (:id is M's lead reviewer, or A) ──
  'GET /api/v1/admin/users':                              { expect: [401, 403, 403, 403, 403, 401, 401] },
  'GET /api/v1/admin/users/:id':                          { expect: [401, 403, 403, 403, 403, 401, 401] },
  'GET /api/v1/admin/organizations':                      { expect: [401, 403, 403, 403, 403, 401, 401] },
  'GET /api/v1/admin/organizations/:id':                  { expect: [401, 403, 403, 403, 403, 401, 401] },
  'GET /api/v1/admin/audit':                              { expect: [401, 403, 403, 403, 403, 401, 401] },
  'GET /api/v1/admin/audit/verify':                       { expect: [401, 403, 403, 403, 403, 401, 401] },
  'POST /api/v1/admin/users/:id/suspend':                 { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { reason: 'Probe: suspending' } }) },
  'POST /api/v1/admin/users/:id/reactivate':              { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { reason: 'Probe: suspending' } }) },
  'POST /api/v1/admin/users/:id/unlock':                  { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { reason: 'Probe: suspending' } }) },
  'POST /api/v1/admin/users/:id/password-reset':          { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { reason: 'Probe: suspending' } }) },
  'POST /api/v1/admin/organizations/:id/suspend':         { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { reason: 'Probe: suspending' } }) },
  'POST /api/v1/admin/organizations/:id/reactivate':      { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ json: { reason: 'Probe: suspending' } }) },
  'GET /app/admin':                                       { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /app/admin/users':                                 { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /app/admin/users/:id':                             { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /app/admin/organizations':                         { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /app/admin/organizations/:id':                     { expect: [303, 403, 403, 403, 403, 303, 303] },
  'GET /app/admin/audit':                                 { expect: [303, 403, 403, 403, 403, 303, 303] },
  'POST /app/admin/users/:id/suspend':                    { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['reason', 'Probe: suspending']] }) },
  'POST /app/admin/users/:id/reactivate':                 { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['reason', 'Probe: suspending']] }) },
  'POST /app/admin/users/:id/unlock':                     { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['reason', 'Probe: suspending']] }) },
  'POST /app/admin/users/:id/password-reset':             { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['reason', 'Probe: suspending']] }) },
  'POST /app/admin/organizations/:id/suspend':            { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['reason', 'Probe: suspending']] }) },
  'POST /app/admin/organizations/:id/reactivate':         { expect: [401, 403, 403, 403, 403, 401, 401], body: () => ({ form: [['reason', 'Probe: suspending']] }) },

  // ── signed-in ──
  'GET /api/v1/auth/session':                             { expect: [401, 200, 200, 200, 403, 401, 401] },
  'POST /api/v1/orgs':                                    { expect: [401, 201, 201, 201, 403, 401, 401], body: (c) => ({ json: { name: `Founded ${c.n}`, kind: 'provider' } }) },
  'GET /account':                                         { expect: [303, 200, 200, 200, 403, 303, 303] },
  // A person's sessions: :id stands for no session of theirs, so ending it is a 404, as for another person's.
  'GET /api/v1/auth/sessions':                            { expect: [401, 200, 200, 200, 403, 401, 401] },
  'DELETE /api/v1/auth/sessions/:id':                     { expect: [401, 404, 404, 404, 403, 401, 401], body: NO_BODY },
  'POST /account/sessions/:id/end':                       { expect: [401, 404, 404, 404, 403, 401, 401], body: () => ({ form: [] }) },
  'GET /organizations/new':                               { expect: [303, 200, 200, 200, 403, 303, 303] },
  'POST /organizations':                                  { expect: [401, 303, 303, 303, 403, 401, 401], body: (c) => ({ form: [['name', `Founded ${c.n}`], ['kind', 'provider']] }) },

  // ── organization: A's API ──
  'GET /api/v1/orgs/:org':                                { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'PATCH /api/v1/orgs/:org':                              { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { name: 'Probe Rename', country: 'FR', version: c.s.a.version } }) },
  'GET /api/v1/orgs/:org/sso':                            { expect: [401, 404, 404, 403, 403, 401, 401] },
  'PUT /api/v1/orgs/:org/sso':                            { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { issuer: 'https://idp.example.com', clientId: 'probe', clientSecret: 'probe-secret', domains: [`probe-${c.n}.example`], defaultRole: 'viewer' } }) },
  'DELETE /api/v1/orgs/:org/sso':                         { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'GET /api/v1/orgs/:org/accreditations':                 { expect: [401, 404, 404, 200, 200, 401, 401] },
  'GET /api/v1/orgs/:org/audit':                          { expect: [401, 404, 404, 403, 200, 401, 401], readsTarget: true },
  'GET /api/v1/orgs/:org/audit/verify':                   { expect: [401, 404, 404, 403, 200, 401, 401] },
  'GET /api/v1/orgs/:org/members':                        { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'PATCH /api/v1/orgs/:org/members/:membershipId':        { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { role: lowestRole(c), version: c.s.editor.membershipVersion } }) },
  'DELETE /api/v1/orgs/:org/members/:membershipId':       { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'GET /api/v1/orgs/:org/invitations':                    { expect: [401, 404, 404, 403, 403, 401, 401] },
  'POST /api/v1/orgs/:org/invitations':                   { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { email: `probe-${c.n}@example.org`, role: lowestRole(c) } }) },
  'DELETE /api/v1/orgs/:org/invitations/:invitationId':   { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'GET /api/v1/orgs/:org/services':                       { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'POST /api/v1/orgs/:org/services':                      { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { name: `Probe service ${c.n}`, description: 'Probe', url: 'https://probe.example', profile: { directed_at_children: false } } }) },
  'GET /api/v1/orgs/:org/services/:id':                   { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'PATCH /api/v1/orgs/:org/services/:id':                 { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { name: `Probe rename ${c.n}`, version: c.s.service.version } }) },
  'DELETE /api/v1/orgs/:org/services/:id':                { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'GET /api/v1/orgs/:org/services/:id/applicability':     { expect: [401, 404, 404, 200, 200, 401, 401], query: `?code=${CODE}` },
  'GET /api/v1/orgs/:org/tokens':                         { expect: [401, 404, 404, 403, 403, 401, 401] },
  'POST /api/v1/orgs/:org/tokens':                        { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { name: `Probe ${c.n}`, scopes: ['read'] } }) },
  'DELETE /api/v1/orgs/:org/tokens/:id':                  { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },

  // ── organization: A's evidence and assessments, API (:id is A's file evidence, or A's draft assessment,
  //    which is complete, so the owner could submit it; its submissions are those of A's submitted one) ──
  'GET /api/v1/orgs/:org/evidence':                                       { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'POST /api/v1/orgs/:org/evidence':                                      { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { kind: 'link', title: `Probe ${c.n}`, url: 'https://probe.example/evidence' } }) },
  'GET /api/v1/orgs/:org/evidence/:id':                                   { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'PATCH /api/v1/orgs/:org/evidence/:id':                                 { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { title: `Probe rename ${c.n}`, version: c.s.evidence.version } }) },
  'POST /api/v1/orgs/:org/evidence/:id/revisions':                        { expect: [401, 404, 404, 403, 403, 401, 401], body: revisionUpload },
  'GET /api/v1/orgs/:org/evidence/:id/revisions/:number':                 { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'GET /api/v1/orgs/:org/evidence/:id/revisions/:number/content':         { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'GET /api/v1/orgs/:org/assessments':                                    { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'POST /api/v1/orgs/:org/assessments':                                   { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { serviceId: c.s.unassessedServiceId, code: CODE, version: VERSION, monitoringBody: c.s.m.slug, targetLevel: 1 } }) },
  'GET /api/v1/orgs/:org/assessments/:id':                                { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'PUT /api/v1/orgs/:org/assessments/:id/answers/:requirementKey':        { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: probeAnswer(c) }) },
  'PUT /api/v1/orgs/:org/assessments/:id/answers':                        { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { answers: [{ requirementKey: c.s.assessment.requirementKey, ...probeAnswer(c) }] } }) },
  'POST /api/v1/orgs/:org/assessments/:id/submit':                        { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { signatory: { name: `Probe Signatory ${c.n}`, title: 'Probe', confirm: true } } }) },
  'POST /api/v1/orgs/:org/assessments/:id/withdraw':                      { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'GET /api/v1/orgs/:org/assessments/:id/submissions':                    { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'GET /api/v1/orgs/:org/assessments/:id/export.json':                    { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'GET /api/v1/orgs/:org/assessments/:id/export.csv':                     { expect: [401, 404, 404, 200, 200, 401, 401], readsTarget: true },
  'POST /api/v1/orgs/:org/assessments/:id/import':                        { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ csv: answersCsv(c) }) },
  // What M has released to A about its submitted assessment (:id is that one): nothing yet, so no canary.
  'GET /api/v1/orgs/:org/assessments/:id/review':                         { expect: [401, 404, 404, 200, 200, 401, 401] },

  // ── organization: a monitoring body's reviews and reports, API (:id is A's submitted assessment, which M
  //    is reviewing; :evidenceId, :number, :requirementKey and :sectionKey are what that submission names).
  //    A is a provider: its viewer has no review permission (403). Its read token passes the guard where the
  //    read scope is enough, and finds nothing of A's: the queue is empty, no assessment is addressed to A
  //    (404), and statistics are a monitoring body's (403). Every other review act is a named person's,
  //    never a token's (403). The same routes with M in the path are in MONITORING_BODY_TARGET. ──
  'GET /api/v1/orgs/:org/reviews':                                        { expect: [401, 404, 404, 403, 403, 401, 401] },
  'GET /api/v1/orgs/:org/reviews/:id':                                    { expect: [401, 404, 404, 403, 403, 401, 401] },
  'POST /api/v1/orgs/:org/reviews/:id/assign':                            { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: reassignment(c) }) },
  'POST /api/v1/orgs/:org/reviews/:id/declaration':                       { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { conflict: false, statement: `Probe ${c.n}` } }) },
  'GET /api/v1/orgs/:org/reviews/:id/evidence/:evidenceId/revisions/:number/content': { expect: [401, 404, 404, 403, 403, 401, 401] },
  'PUT /api/v1/orgs/:org/reviews/:id/findings/:requirementKey':           { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ json: { verdict: 'accepted' } }) },
  'PUT /api/v1/orgs/:org/reviews/:id/sections/:sectionKey/summary':       { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { publicSummary: `Probe ${c.n}` } }) },
  'POST /api/v1/orgs/:org/reviews/:id/request-changes':                   { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'POST /api/v1/orgs/:org/reviews/:id/decision':                          { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { outcome: 'rejected', publicSummary: `Probe ${c.n}` } }) },
  'POST /api/v1/orgs/:org/reviews/:id/decision/approve':                  { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'POST /api/v1/orgs/:org/reviews/:id/decision/return':                   { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { reason: `Probe ${c.n}` } }) },
  'POST /api/v1/orgs/:org/reviews/:id/suspend':                           { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { reason: `Probe ${c.n}` } }) },
  'POST /api/v1/orgs/:org/reviews/:id/reinstate':                         { expect: [401, 404, 404, 403, 403, 401, 401], body: NO_BODY },
  'POST /api/v1/orgs/:org/reviews/:id/revoke':                            { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { reason: `Probe ${c.n}` } }) },
  'GET /api/v1/orgs/:org/reports':                                        { expect: [401, 404, 404, 403, 403, 401, 401] },
  'GET /api/v1/orgs/:org/reports.csv':                                    { expect: [401, 404, 404, 403, 403, 401, 401] },

  // ── organization: a monitoring body's complaints, API (:id is the complaint about P's entry, which is M's).
  //    A is a provider: no provider role grants complaints.read or complaints.handle, so A's viewer and A's
  //    read token get 403 (and complaints.handle is a person's act besides). The same routes with M in the
  //    path are in MONITORING_BODY_TARGET. ──
  'GET /api/v1/orgs/:org/complaints':                                     { expect: [401, 404, 404, 403, 403, 401, 401] },
  'GET /api/v1/orgs/:org/complaints/:id':                                 { expect: [401, 404, 404, 403, 403, 401, 401] },
  'POST /api/v1/orgs/:org/complaints/:id/status':                         { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ json: { status: 'investigating', version: c.s.complaint.version } }) },

  // ── organization: A's pages ──
  'GET /app/:org':                                        { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'GET /app/:org/accreditations':                         { expect: [303, 404, 404, 200, 200, 303, 303] },
  'GET /app/:org/audit':                                  { expect: [303, 404, 404, 403, 200, 303, 303] },
  'GET /app/:org/members':                                { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'POST /app/:org/members/:membershipId/role':            { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['role', lowestRole(c)], ['version', String(c.s.editor.membershipVersion)]] }) },
  'POST /app/:org/members/:membershipId/remove':          { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'GET /app/:org/invitations/new':                        { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/invitations':                           { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['email', `probe-${c.n}@example.org`], ['role', lowestRole(c)]] }) },
  'POST /app/:org/invitations/:invitationId/revoke':      { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'GET /app/:org/services':                               { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'GET /app/:org/services/new':                           { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/services':                              { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['name', `Probe service ${c.n}`], ['url', 'https://probe.example'], ['profile[directed_at_children]', 'false']] }) },
  'GET /app/:org/services/:id':                           { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'GET /app/:org/services/:id/edit':                      { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/services/:id':                          { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['name', `Probe rename ${c.n}`], ['version', String(c.s.service.version)], ['profile[directed_at_children]', 'false']] }) },
  'POST /app/:org/services/:id/delete':                   { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'GET /app/:org/settings':                               { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/settings':                              { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['name', 'Probe Rename'], ['country', 'FR'], ['version', String(c.s.a.version)]] }) },
  'GET /app/:org/settings/sso':                           { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/settings/sso':                          { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['issuer', 'https://idp.example.com'], ['clientId', 'probe'], ['clientSecret', 'probe-secret'], ['domains', `probe-${c.n}.example`], ['defaultRole', 'viewer']] }) },
  'POST /app/:org/settings/sso/delete':                   { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'GET /app/:org/tokens':                                 { expect: [303, 404, 404, 403, 403, 303, 303] },
  'GET /app/:org/tokens/new':                             { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/tokens':                                { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['name', `Probe ${c.n}`], ['scopes', 'read']] }) },
  'POST /app/:org/tokens/:id/revoke':                     { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },

  // ── organization: A's evidence and assessments, pages (the same resources as the API's) ──
  'GET /app/:org/evidence':                               { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'GET /app/:org/evidence/new':                           { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/evidence':                              { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['kind', 'link'], ['title', `Probe ${c.n}`], ['url', 'https://probe.example/evidence']] }) },
  'GET /app/:org/evidence/:id':                           { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'POST /app/:org/evidence/:id':                          { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['title', `Probe rename ${c.n}`], ['version', String(c.s.evidence.version)]] }) },
  'POST /app/:org/evidence/:id/revisions':                { expect: [401, 404, 404, 403, 403, 401, 401], body: revisionUpload },
  'GET /app/:org/assessments':                            { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'GET /app/:org/assessments/new':                        { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/assessments':                           { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['code', CODE], ['version', VERSION], ['serviceId', c.s.unassessedServiceId], ['monitoringBody', c.s.m.slug], ['targetLevel', '1']] }) },
  'GET /app/:org/assessments/:id':                        { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'POST /app/:org/assessments/:id/sections/:section':     { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: sectionForm(c) }) },
  'GET /app/:org/assessments/:id/submit':                 { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },
  'POST /app/:org/assessments/:id/submit':                { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['signatory[name]', `Probe Signatory ${c.n}`], ['signatory[title]', 'Probe'], ['signatory[confirm]', 'true']] }) },
  'POST /app/:org/assessments/:id/withdraw':              { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /app/:org/assessments/:id/import':                { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ multipart: { fields: [], file: { name: 'answers.csv', contentType: 'text/csv', content: answersCsv(c) } } }) },
  'GET /app/:org/assessments/:id/report':                 { expect: [303, 404, 404, 200, 200, 303, 303], readsTarget: true },

  // ── organization: a monitoring body's reviews and reports, pages (the same resources and rules as the API's) ──
  'GET /app/:org/reviews':                                          { expect: [303, 404, 404, 403, 403, 303, 303] },
  'GET /app/:org/reviews/:id':                                      { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/reviews/:id/assign':                              { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: Object.entries(reassignment(c)).map(([name, value]): [string, string] => [name, String(value)]) }) },
  'POST /app/:org/reviews/:id/declaration':                         { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['conflict', 'false'], ['statement', `Probe ${c.n}`]] }) },
  'POST /app/:org/reviews/:id/findings/:requirementKey':            { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [['verdict', 'accepted']] }) },
  'POST /app/:org/reviews/:id/sections/:sectionKey/summary':        { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['publicSummary', `Probe ${c.n}`]] }) },
  'POST /app/:org/reviews/:id/request-changes':                     { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /app/:org/reviews/:id/decision':                            { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['outcome', 'rejected'], ['publicSummary', `Probe ${c.n}`]] }) },
  'POST /app/:org/reviews/:id/decision/approve':                    { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /app/:org/reviews/:id/decision/return':                     { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['reason', `Probe ${c.n}`]] }) },
  'POST /app/:org/reviews/:id/suspend':                             { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['reason', `Probe ${c.n}`]] }) },
  'POST /app/:org/reviews/:id/reinstate':                           { expect: [401, 404, 404, 403, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /app/:org/reviews/:id/revoke':                              { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['reason', `Probe ${c.n}`]] }) },
  'GET /app/:org/reports':                                          { expect: [303, 404, 404, 403, 403, 303, 303] },

  // ── organization: a monitoring body's complaints, pages (the same complaint and rules as the API's) ──
  'GET /app/:org/complaints':                                       { expect: [303, 404, 404, 403, 403, 303, 303] },
  'GET /app/:org/complaints/:id':                                   { expect: [303, 404, 404, 403, 403, 303, 303] },
  'POST /app/:org/complaints/:id/status':                           { expect: [401, 404, 404, 403, 403, 401, 401], body: (c) => ({ form: [['status', 'investigating'], ['version', String(c.s.complaint.version)]] }) },

  // ── A's invitation link (public: the link is the credential) ──
  'GET /api/v1/invitations/:token':                       { expect: [200, 200, 200, 200, 200, 401, 401], invitationLink: true },
  'GET /invitations/:token':                              { expect: [200, 200, 200, 200, 200, 303, 303], invitationLink: true },
  // Each actor gets an invitation of its own. Without a session the body creates the invited account
  // (anonymous, and a token holder: a token is no session); a signed-in person can only accept an
  // invitation sent to their own address, and these are sent elsewhere: 403.
  'POST /api/v1/invitations/:token/accept':               { expect: [200, 403, 403, 403, 200, 401, 401], invitationLink: true, throwaway: true, writesTarget: ['anonymous', 'readToken'], body: (c) => ({ json: c.actor === 'anonymous' || TOKEN_ACTORS.includes(c.actor) ? { name: `Newcomer ${c.n}`, password: PASSWORD } : {} }) },
  'POST /invitations/:token':                             { expect: [303, 403, 403, 403, 303, 401, 401], invitationLink: true, throwaway: true, writesTarget: ['anonymous', 'readToken'], body: (c) => ({ form: c.actor === 'anonymous' || TOKEN_ACTORS.includes(c.actor) ? [['name', `Newcomer ${c.n}`], ['password', PASSWORD]] : [] }) },

  // ── password reset: asking answers alike for any address (here one without an account); A's owner's link is expired, so it is gone for everyone ──
  'GET /forgot-password':                                 { expect: [200, 200, 200, 200, 200, 303, 303] },
  'POST /forgot-password':                                { expect: [303, 303, 303, 303, 303, 401, 401], body: (c) => ({ form: [['email', `reset-${c.n}@example.org`]] }) },
  'POST /api/v1/auth/password-reset':                     { expect: [202, 202, 202, 202, 202, 401, 401], body: (c) => ({ json: { email: `reset-${c.n}@example.org` } }) },
  'GET /reset-password/:token':                           { expect: [410, 410, 410, 410, 410, 303, 303] },
  'POST /reset-password/:token':                          { expect: [410, 410, 410, 410, 410, 401, 401], body: () => ({ form: [['password', PASSWORD], ['confirmation', PASSWORD]] }) },
  'POST /api/v1/auth/password-reset/:token':              { expect: [410, 410, 410, 410, 410, 401, 401], body: () => ({ json: { password: PASSWORD } }) },

  // ── passkeys: each person's own. Nobody here has a passkey or a challenge but A's owner, whose passkey is
  // the `:id`; an answer to no challenge is a 401 for whoever sends it ──
  'POST /api/v1/auth/passkeys/registration-options':       { expect: [401, 200, 200, 200, 403, 401, 401], body: () => ({ json: {} }) },
  'POST /api/v1/auth/passkeys':                            { expect: [401, 401, 401, 401, 403, 401, 401], body: (c) => ({ json: { name: `Probe ${c.n}`, response: UNSIGNED_REGISTRATION } }) },
  'GET /api/v1/auth/passkeys':                             { expect: [401, 200, 200, 200, 403, 401, 401] },
  'DELETE /api/v1/auth/passkeys/:id':                      { expect: [401, 404, 404, 404, 403, 401, 401], body: (c) => ({ json: { password: c.person.password, response: UNSIGNED_ASSERTION } }) },
  'POST /api/v1/auth/step-up/passkey/options':             { expect: [401, 409, 409, 409, 403, 401, 401], body: () => ({ json: {} }) },
  'POST /api/v1/auth/step-up/passkey':                     { expect: [401, 401, 401, 401, 403, 401, 401], body: () => ({ json: { response: UNSIGNED_ASSERTION } }) },
  'POST /api/v1/auth/login/passkey/options':               { expect: [200, 200, 200, 200, 200, 401, 401], body: () => ({ json: {} }) },
  'POST /api/v1/auth/login/passkey':                       { expect: [401, 401, 401, 401, 401, 401, 401], body: () => ({ json: { response: UNSIGNED_ASSERTION } }) },
  // ── second factor: nobody here has one. Setting one up starts for every person (it counts once confirmed),
  // and a wrong code confirms nothing; no sign-in waits for a code; removal and new recovery codes need a
  // factor (409 after the password), as a step-up does ──
  'GET /signin/mfa':                                      { expect: [200, 200, 200, 200, 200, 303, 303] },
  'POST /signin/mfa':                                     { expect: [401, 401, 401, 401, 401, 401, 401], body: () => ({ form: [['code', '123456']] }) },
  'POST /api/v1/auth/login/mfa':                          { expect: [401, 401, 401, 401, 401, 401, 401], body: () => ({ json: { code: '123456' } }) },
  'POST /api/v1/auth/mfa/totp':                           { expect: [401, 201, 201, 201, 403, 401, 401], body: () => ({ json: {} }) },
  'POST /account/mfa/totp':                               { expect: [401, 200, 200, 200, 403, 401, 401], body: () => ({ form: [] }) },
  'POST /api/v1/auth/mfa/totp/confirm':                   { expect: [401, 401, 401, 401, 403, 401, 401], body: () => ({ json: { code: 'abcdef' } }) },
  'POST /account/mfa/totp/confirm':                       { expect: [401, 401, 401, 401, 403, 401, 401], body: () => ({ form: [['code', 'abcdef']] }) },
  'DELETE /api/v1/auth/mfa/totp':                         { expect: [401, 409, 409, 409, 403, 401, 401], body: (c) => ({ json: { password: c.person.password, code: '123456' } }) },
  'POST /account/mfa/totp/remove':                        { expect: [401, 409, 409, 409, 403, 401, 401], body: (c) => ({ form: [['password', c.person.password], ['code', '123456']] }) },
  'POST /api/v1/auth/mfa/recovery-codes':                 { expect: [401, 409, 409, 409, 403, 401, 401], body: () => ({ json: { code: '123456' } }) },
  'POST /account/mfa/recovery-codes':                     { expect: [401, 409, 409, 409, 403, 401, 401], body: () => ({ form: [['code', '123456']] }) },
  'POST /api/v1/auth/step-up':                            { expect: [401, 409, 409, 409, 403, 401, 401], body: () => ({ json: { code: '123456' } }) },
  // ── e-mail verification: A's owner's link is expired, so it is gone for everyone; the actors' own addresses
  //    are verified already (409), and each may ask to change their own address (a link to the new one). ──
  'GET /verify-email/:token':                             { expect: [410, 410, 410, 410, 410, 303, 303] },
  'POST /verify-email/:token':                            { expect: [410, 410, 410, 410, 410, 401, 401], body: () => ({ form: [] }) },
  'POST /api/v1/auth/verify-email/:token':                { expect: [410, 410, 410, 410, 410, 401, 401], body: NO_BODY },
  'POST /api/v1/auth/verify-email':                       { expect: [401, 409, 409, 409, 403, 401, 401], body: NO_BODY },
  'POST /account/verify-email':                           { expect: [401, 409, 409, 409, 403, 401, 401], body: () => ({ form: [] }) },
  'PUT /api/v1/auth/email':                               { expect: [401, 202, 202, 202, 403, 401, 401], body: (c) => ({ json: { email: `moving-${c.n}@example.org`, password: c.person.password } }) },
  'POST /account/email':                                  { expect: [401, 303, 303, 303, 403, 401, 401], body: (c) => ({ form: [['email', `moving-${c.n}@example.org`], ['password', c.person.password]] }) },

  // ── first-run setup: a real, unused setup link, but an operator exists, so it is unusable for everyone ──
  'GET /setup/:token':                                    { expect: [404, 404, 404, 404, 404, 303, 303] },
  'POST /setup/:token':                                   { expect: [404, 404, 404, 404, 404, 401, 401], throwaway: true, body: (c) => ({ form: [['email', `operator-${c.n}@example.org`], ['name', 'Probe Operator'], ['password', PASSWORD]] }) },

  // ── sessions and credentials: throwaway sessions, last ──
  'POST /api/v1/auth/signup':                             { expect: [201, 201, 201, 201, 201, 401, 401], throwaway: true, body: (c) => ({ json: { email: `signup-${c.n}@example.org`, password: PASSWORD, name: 'Probe Person', organization: { name: `Signed Up ${c.n}`, kind: 'provider' } } }) },
  'POST /signup':                                         { expect: [303, 303, 303, 303, 303, 401, 401], throwaway: true, body: (c) => ({ form: [['email', `signup-${c.n}@example.org`], ['password', PASSWORD], ['name', 'Probe Person'], ['organization[name]', `Signed Up ${c.n}`], ['organization[kind]', 'provider']] }) },
  'POST /api/v1/auth/login':                              { expect: [200, 200, 200, 200, 200, 401, 401], throwaway: true, body: (c) => ({ json: { email: c.person.email, password: c.person.password } }) },
  'POST /signin':                                         { expect: [303, 303, 303, 303, 303, 401, 401], throwaway: true, body: (c) => ({ form: [['email', c.person.email], ['password', c.person.password]] }) },
  'PUT /api/v1/auth/password':                            { expect: [401, 204, 204, 204, 403, 401, 401], throwaway: true, changesPassword: true, body: (c) => ({ json: { currentPassword: c.person.password, newPassword: c.newPassword } }) },
  'POST /account/password':                               { expect: [401, 303, 303, 303, 403, 401, 401], throwaway: true, changesPassword: true, body: (c) => ({ form: [['currentPassword', c.person.password], ['newPassword', c.newPassword]] }) },
  'POST /api/v1/auth/logout':                             { expect: [204, 204, 204, 204, 204, 401, 401], throwaway: true, body: NO_BODY },
  'POST /api/v1/auth/sessions/end-others':               { expect: [401, 204, 204, 204, 403, 401, 401], throwaway: true, body: NO_BODY },
  'POST /account/sessions/end-others':                    { expect: [401, 303, 303, 303, 403, 401, 401], throwaway: true, body: () => ({ form: [] }) },
  'POST /signout':                                        { expect: [303, 303, 303, 303, 303, 401, 401], throwaway: true, body: () => ({ form: [] }) },
};

/**
 * A's resources through the outsider's own organization: `:org` is the outsider's own slug, every other
 * parameter is A's. The guard lets them in (they are members there), so only the lookups scoped by
 * organization, and row-level security, stand between them and A's rows: the answer must be 404, as for
 * any id that is not in the organization; or 403 where their role lacks the permission anyway (a
 * monitoring body's admin has no services, evidence or assessments permission), which the guard decides
 * before any lookup.
 * Every route with `:org` and another parameter needs an entry.
 */
// Columns: otherProvider (P2's owner, every provider permission), otherMonitoringBody (M2's admin).
const THROUGH_OWN_ORGANIZATION: Record<string, readonly [otherProvider: Status, otherMonitoringBody: Status]> = {
  'PATCH /api/v1/orgs/:org/members/:membershipId':                 [404, 404],
  'DELETE /api/v1/orgs/:org/members/:membershipId':                [404, 404],
  'DELETE /api/v1/orgs/:org/invitations/:invitationId':            [404, 404],
  'GET /api/v1/orgs/:org/services/:id':                            [404, 403],
  'PATCH /api/v1/orgs/:org/services/:id':                          [404, 403],
  'DELETE /api/v1/orgs/:org/services/:id':                         [404, 403],
  'GET /api/v1/orgs/:org/services/:id/applicability':              [404, 403],
  'DELETE /api/v1/orgs/:org/tokens/:id':                           [404, 404],
  'GET /api/v1/orgs/:org/evidence/:id':                            [404, 403],
  'PATCH /api/v1/orgs/:org/evidence/:id':                          [404, 403],
  'POST /api/v1/orgs/:org/evidence/:id/revisions':                 [404, 403],
  'GET /api/v1/orgs/:org/evidence/:id/revisions/:number':          [404, 403],
  'GET /api/v1/orgs/:org/evidence/:id/revisions/:number/content':  [404, 403],
  'GET /api/v1/orgs/:org/assessments/:id':                         [404, 403],
  'PUT /api/v1/orgs/:org/assessments/:id/answers/:requirementKey': [404, 403],
  'PUT /api/v1/orgs/:org/assessments/:id/answers':                 [404, 403],
  'POST /api/v1/orgs/:org/assessments/:id/submit':                 [404, 403],
  'POST /api/v1/orgs/:org/assessments/:id/withdraw':               [404, 403],
  'GET /api/v1/orgs/:org/assessments/:id/submissions':             [404, 403],
  'GET /api/v1/orgs/:org/assessments/:id/export.json':             [404, 403],
  'GET /api/v1/orgs/:org/assessments/:id/export.csv':              [404, 403],
  'POST /api/v1/orgs/:org/assessments/:id/import':                 [404, 403],
  'GET /api/v1/orgs/:org/assessments/:id/review':                  [404, 403],
  // A provider's owner has no review permission; M2's admin has them all, and M2 has no review of A's.
  'GET /api/v1/orgs/:org/reviews/:id':                                                [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/assign':                                        [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/declaration':                                   [403, 404],
  'GET /api/v1/orgs/:org/reviews/:id/evidence/:evidenceId/revisions/:number/content': [403, 404],
  'PUT /api/v1/orgs/:org/reviews/:id/findings/:requirementKey':                       [403, 404],
  'PUT /api/v1/orgs/:org/reviews/:id/sections/:sectionKey/summary':                   [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/request-changes':                               [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/decision':                                      [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/decision/approve':                              [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/decision/return':                               [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/suspend':                                       [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/reinstate':                                     [403, 404],
  'POST /api/v1/orgs/:org/reviews/:id/revoke':                                        [403, 404],
  'POST /app/:org/members/:membershipId/role':                     [404, 404],
  'POST /app/:org/members/:membershipId/remove':                   [404, 404],
  'POST /app/:org/invitations/:invitationId/revoke':               [404, 404],
  'GET /app/:org/services/:id':                                    [404, 403],
  'GET /app/:org/services/:id/edit':                               [404, 403],
  'POST /app/:org/services/:id':                                   [404, 403],
  'POST /app/:org/services/:id/delete':                            [404, 403],
  'POST /app/:org/tokens/:id/revoke':                              [404, 404],
  'GET /app/:org/evidence/:id':                                    [404, 403],
  'POST /app/:org/evidence/:id':                                   [404, 403],
  'POST /app/:org/evidence/:id/revisions':                         [404, 403],
  'GET /app/:org/assessments/:id':                                 [404, 403],
  'POST /app/:org/assessments/:id/sections/:section':              [404, 403],
  'GET /app/:org/assessments/:id/submit':                          [404, 403],
  'POST /app/:org/assessments/:id/submit':                         [404, 403],
  'POST /app/:org/assessments/:id/withdraw':                       [404, 403],
  'POST /app/:org/assessments/:id/import':                         [404, 403],
  'GET /app/:org/assessments/:id/report':                          [404, 403],
  'GET /app/:org/reviews/:id':                                     [403, 404],
  'POST /app/:org/reviews/:id/assign':                             [403, 404],
  'POST /app/:org/reviews/:id/declaration':                        [403, 404],
  'POST /app/:org/reviews/:id/findings/:requirementKey':           [403, 404],
  'POST /app/:org/reviews/:id/sections/:sectionKey/summary':       [403, 404],
  'POST /app/:org/reviews/:id/request-changes':                    [403, 404],
  'POST /app/:org/reviews/:id/decision':                           [403, 404],
  'POST /app/:org/reviews/:id/decision/approve':                   [403, 404],
  'POST /app/:org/reviews/:id/decision/return':                    [403, 404],
  'POST /app/:org/reviews/:id/suspend':                            [403, 404],
  'POST /app/:org/reviews/:id/reinstate':                          [403, 404],
  'POST /app/:org/reviews/:id/revoke':                             [403, 404],
  // A provider's owner has no complaint permission; M2's admin has them all, and the complaint is M's.
  'GET /api/v1/orgs/:org/complaints/:id':                          [403, 404],
  'POST /api/v1/orgs/:org/complaints/:id/status':                  [403, 404],
  'GET /app/:org/complaints/:id':                                  [403, 404],
  'POST /app/:org/complaints/:id/status':                          [403, 404],
};
const CROSS_ACTORS = ['otherProvider', 'otherMonitoringBody'] as const;

/**
 * The monitoring-body flavoured routes with M in the path, where there is something to find (A, a
 * provider, has no accreditations, reviews or complaints). No actor belongs to M: A's viewer and tokens
 * are strangers there too.
 */
// Columns: anonymous, otherProvider, otherMonitoringBody, providerViewer, readToken, expiredToken, revokedToken.
const MONITORING_BODY_TARGET: Record<string, Row> = {
  'GET /api/v1/orgs/:org/accreditations':         [401, 404, 404, 404, 404, 401, 401],
  'GET /app/:org/accreditations':                 [303, 404, 404, 404, 404, 303, 303],
  // M's review of A's submitted assessment, with its reviewers, findings, notes and summary (all carrying
  // CANARY_M); M's reports; and M's complaint about P's entry (its complainant's address carries CANARY_M).
  ...Object.fromEntries(
    Object.keys(EXPECTED)
      .filter((key) => /^\S+ \/(api\/v1\/orgs|app)\/:org\/(reviews|reports|complaints)/.test(key))
      .map((key): [string, Row] => {
        const [method, path] = key.split(' ');
        const unauthenticated = path.startsWith('/api/') || method !== 'GET' ? 401 : 303;
        return [key, [unauthenticated, 404, 404, 404, 404, unauthenticated, unauthenticated]];
      }),
  ),
};


// ─── Seed ──────────────────────────────────────────────────────────────────────────────────────────────

interface Seed {
  a: { id: string; slug: string; name: string; website: string; version: number };
  m: { id: string; slug: string; kind: 'monitoring_body' };
  mAdmin: { agent: TestAgent; csrf: string };
  /** M's review of A's submitted assessment: the lead (M's reviewer) and the second (M's admin). */
  mReview: { leadId: string; secondId: string };
  m2Slug: string;
  /** The outsiders' own organizations. */
  own: Record<'otherProvider' | 'otherMonitoringBody', { slug: string; kind: 'provider' | 'monitoring_body' }>;
  editor: { membershipId: string; membershipVersion: number };
  invitation: { id: string; token: string; email: string };
  service: { id: string; version: number };
  /** A service of A with no assessment: starting one for it would be accepted. */
  unassessedServiceId: string;
  /** A's file evidence: the canary in its title, description, file name, note and bytes. */
  evidence: { id: string; version: number; revision: number };
  /** A's draft assessment, every answer met with the evidence linked: its first answer and section. */
  assessment: { id: string; requirementKey: string; section: string; answerVersion: number };
  /** A's submitted assessment, signed by a signatory whose name and title carry the canary. */
  submittedAssessmentId: string;
  /** P's entry in the public register, verified by M, and a valid attestation of it. */
  entry: { id: string; attestation: string };
  /** The complaint filed about P's entry: M's, its complainant's address carrying CANARY_M. */
  complaint: { id: string; reference: string; secret: string; version: number };
  targetTokenId: string;
  /** A passkey of A's owner, its name carrying the canary. */
  targetPasskeyId: string;
  accreditationId: string;
  setupToken: string;
  /** A password reset link of A's owner, expired. */
  resetToken: string;
  verificationToken: string;
  /** A hash list, and a resolved upload incident of A (resolved, so A's uploads are not paused). */
  hashListId: string;
  incidentId: string;
  /** A fresh invitation of A per accepting route and actor: `${key} ${actor}` → token and invited email. */
  acceptLinks: Map<string, { token: string; email: string }>;
}

type Caller = { kind: 'session'; agent: TestAgent; csrf: string } | { kind: 'token'; token: string };

function isWrite(method: string): boolean {
  return method !== 'GET';
}

function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path.startsWith('/health');
}

function statuses(status: Status): readonly number[] {
  return typeof status === 'number' ? [status] : status;
}

/** A refusal: any error, or the redirect of a page that needs sign-in. */
function isRefusal(key: string, status: Status): boolean {
  const [method, path] = key.split(' ');
  return statuses(status).every((code) => code >= 400 || (code === 303 && method === 'GET' && !isApiPath(path)));
}

function textOf(response: request.Response): string {
  const body = typeof response.text === 'string' ? response.text : Buffer.isBuffer(response.body) ? response.body.toString('utf8') : JSON.stringify(response.body ?? '');
  // An attestation (a compact JWS) carries its claims base64url-encoded: the checks read them decoded.
  const claims = String(response.headers['content-type'] ?? '').startsWith('application/jose') ? `\n${Buffer.from(body.split('.')[1] ?? '', 'base64url').toString('utf8')}` : '';
  return `${JSON.stringify(response.headers)}\n${body}${claims}`;
}

/** The cases run in this order: routes that keep the session, A's ids through the outsiders' own organizations, then the throwaway-session routes. */
const MAIN_KEYS = Object.keys(EXPECTED).filter((key) => !EXPECTED[key].throwaway);
const SESSION_KEYS = Object.keys(EXPECTED).filter((key) => EXPECTED[key].throwaway);
const CASE_KEYS = [...MAIN_KEYS, ...SESSION_KEYS];
const MISSING_SLUG = `no-such-organization-${randomBytes(4).toString('hex')}`;

/** Outsider cases whose answer must be exactly that of a missing organization: they get a second call, to MISSING_SLUG. */
function comparedWithMissing(key: string, actor: ActorName): boolean {
  return OUTSIDERS.includes(actor) && key.includes('/:org') && statuses(EXPECTED[key].expect[ACTORS.indexOf(actor)]).every((code) => code === 404);
}

/** Every request an outsider makes in this file, counted before any runs: the canary check must see each one. */
const OUTSIDER_REQUESTS =
  CASE_KEYS.reduce((sum, key) => sum + OUTSIDERS.reduce((n, actor) => n + (comparedWithMissing(key, actor) ? 2 : 1), 0), 0) +
  Object.keys(THROUGH_OWN_ORGANIZATION).length * CROSS_ACTORS.length +
  Object.keys(MONITORING_BODY_TARGET).length * OUTSIDERS.length;

describe('tenant isolation matrix', () => {
  let t: TestApp;
  let s: Seed;
  const callers = {} as Record<ActorName, Caller>;
  /** The person behind each actor's throwaway sessions (anonymous and tokens sign in as a walk-in person). */
  const throwawayPeople = {} as Record<ActorName, Person>;
  let baseline: Fingerprint;
  const tally = { requests: 0, privateAnswersChecked: 0, monitoringBodyCanaryChecks: 0, outsiderRequests: 0, outsiderCanaryChecks: 0, insiderCanarySeen: 0, accreditedBodySeen: 0, publicEntrySeen: 0, complaintsFiled: 0, refusedWritesChecked: 0 };
  let sequence = 0;

  beforeAll(async () => {
    // Every actor files complaints from the same address; the per-client limit has tests of its own.
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password, COMPLAINTS_PER_HOUR: '1000' });
    s = await seed();
    baseline = await fingerprint();
  }, 120_000);
  afterAll(() => t?.close());

  // ── seeding ──

  async function join(inviter: { agent: TestAgent; csrf: string; organization: { slug: string; id: string } }, role: string, name: string, email: string) {
    const invitation = await inviter.agent.post(`/api/v1/orgs/${inviter.organization.slug}/invitations`).set('X-CSRF-Token', inviter.csrf).send({ email, role }).expect(201);
    const agent = request.agent(t.server);
    const accepted = await agent.post(`/api/v1/invitations/${invitation.body.token}/accept`).send({ name, password: PASSWORD }).expect(200);
    const session = await agent.get('/api/v1/auth/session').expect(200);
    const [membership] = await t.sql<{ id: string; version: number }>('SELECT id, version FROM memberships WHERE organization_id = $1 AND user_id = $2', [inviter.organization.id, accepted.body.user.id]);
    return { agent, csrf: session.body.csrfToken as string, email, password: PASSWORD, membershipId: membership.id, membershipVersion: membership.version };
  }

  async function anonymousSession(): Promise<Caller & { kind: 'session' }> {
    const agent = request.agent(t.server);
    const page = await agent.get('/signin').expect(200);
    return { kind: 'session', agent, csrf: csrfFrom(page.text) };
  }

  async function seed(): Promise<Seed> {
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);

    // Target provider A: owner, editor, viewer (and the viewer's stand-in for throwaway sessions).
    const owner: Actor = await t.signUp({ organization: `Target ${CANARY}`, name: `Owner ${CANARY}`, email: `owner.${CANARY}@example.org` });
    const ownerApi = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) =>
      owner.agent[method](`/api/v1/orgs/${owner.organization.slug}${path}`).set('X-CSRF-Token', owner.csrf);
    const website = `https://target.example/${CANARY}`;
    const updated = await ownerApi('patch', '').send({ country: 'DE', website, version: 1 }).expect(200);
    const editor = await join(owner, 'editor', `Editor ${CANARY}`, `editor.${CANARY}@example.org`);
    const viewer = await join(owner, 'viewer', `Viewer ${CANARY}`, `viewer.${CANARY}@example.org`);
    const viewerStandIn = await join(owner, 'viewer', `Viewer Stand-in ${CANARY}`, `viewer-stand-in.${CANARY}@example.org`);
    const invitation = await ownerApi('post', '/invitations').send({ email: `invitee.${CANARY}@example.org`, role: 'editor' }).expect(201);
    const service = await ownerApi('post', '/services')
      .send({ name: `Service ${CANARY}`, description: `Described ${CANARY}`, url: `https://service.example/${CANARY}`, profile: { directed_at_children: true } })
      .expect(201);

    // A's tokens. The expired and revoked ones have every scope and work before they expire or are
    // revoked, so their 401 can only come from the expiry or the revocation.
    const token = async (name: string, scopes: string[]) => (await ownerApi('post', '/tokens').send({ name, scopes }).expect(201)).body as { id: string; token: string };
    const read = await token(`Read ${CANARY}`, ['read']);
    const expired = await token(`Expired ${CANARY}`, ['read', 'write']);
    const revoked = await token(`Revoked ${CANARY}`, ['read', 'write']);
    const target = await token(`Target ${CANARY}`, ['read', 'write']);
    for (const working of [read, expired, revoked]) {
      await request(t.server).get(`/api/v1/orgs/${owner.organization.slug}`).set('Authorization', `Bearer ${working.token}`).expect(200);
    }
    await t.sql(`UPDATE api_tokens SET expires_at = now() - interval '1 day' WHERE id = $1`, [expired.id]);
    // A's owner's passkey, enrolled as the account page does, from a software authenticator.
    const passkeyOptions = await owner.agent.post('/api/v1/auth/passkeys/registration-options').set('X-CSRF-Token', owner.csrf).expect(200);
    const authenticator = new SoftwareAuthenticator(t.app.get(AppConfig).publicOrigin);
    const passkey = await owner.agent
      .post('/api/v1/auth/passkeys')
      .set('X-CSRF-Token', owner.csrf)
      .send({ name: `Passkey ${CANARY}`, response: authenticator.create(passkeyOptions.body) })
      .expect(201);
    await ownerApi('delete', `/tokens/${revoked.id}`).expect(204);

    // Target monitoring body M, accredited for the code by the operator (seeding only).
    const mAdmin: Actor = await t.signUp({ organization: `Monitor ${MB_PUBLIC}`, kind: 'monitoring_body', name: `MB Admin ${CANARY_M}`, email: `mb-admin.${CANARY_M}@example.org` });
    const mReviewer = await join(mAdmin, 'reviewer', `MB Reviewer ${CANARY_M}`, `mb-reviewer.${CANARY_M}@example.org`);
    const accreditation = await operator.agent
      .post(`/api/v1/codes/${CODE}/accreditations`)
      .set('X-CSRF-Token', operator.csrf)
      .send({ organization: mAdmin.organization.slug, validFrom: day(-1), validUntil: day(365) })
      .expect(201);

    // A's evidence: a text file, the canary in its title, description, name, note and bytes.
    const evidence = await ownerApi('post', '/evidence')
      .field('title', `Evidence ${CANARY}`)
      .field('description', `Described ${CANARY}`)
      .field('note', `Noted ${CANARY}`)
      .field('confirmation', 'true')
      .attach('file', Buffer.from(`Policy ${CANARY}\n`, 'utf8'), { filename: `evidence-${CANARY}.txt`, contentType: 'text/plain' })
      .expect(201);
    // A's assessments against the code, submitted to M (accredited for it above): a draft of the first
    // service and a submitted one of a second, every answer met with the canary's evidence linked; and
    // a third service with none, so that starting an assessment would be accepted.
    const moreService = async (name: string) =>
      (await ownerApi('post', '/services').send({ name: `${name} ${CANARY}`, description: `Described ${CANARY}`, url: `https://service.example/${CANARY}`, profile: { directed_at_children: true } }).expect(201)).body as { id: string };
    const submittedService = await moreService('Submitted service');
    const unassessedService = await moreService('Unassessed service');
    const completed = async (serviceId: string) => {
      const started = await ownerApi('post', '/assessments').send({ serviceId, code: CODE, version: VERSION, monitoringBody: mAdmin.organization.slug, targetLevel: 1 }).expect(201);
      const answers = (started.body.answers as Array<{ requirementKey: string; version: number }>).map((answer) => ({
        requirementKey: answer.requirementKey,
        claim: 'met',
        statement: `Statement ${CANARY}`,
        evidenceIds: [evidence.body.id],
        version: answer.version,
      }));
      await ownerApi('put', `/assessments/${started.body.id}/answers`).send({ answers }).expect(200);
      const assessment = await ownerApi('get', `/assessments/${started.body.id}`).expect(200);
      expect(assessment.body.gaps).toEqual([]);
      return assessment.body as { id: string; answers: Array<{ requirementKey: string; section: string; version: number }> };
    };
    const draft = await completed(service.body.id);
    const submitted = await completed(submittedService.id);
    await ownerApi('post', `/assessments/${submitted.id}/submit`).send({ signatory: { name: `Signatory ${CANARY}`, title: `Title ${CANARY}`, confirm: true } }).expect(200);
    const evidenceNow = await ownerApi('get', `/evidence/${evidence.body.id}`).expect(200);

    // M reviews the submitted assessment: its reviewer leads, its admin seconds, both declare, and the lead
    // records a finding with a comment and an internal note and a section summary, all with M's canary.
    const [mReviewerUser] = await t.sql<{ id: string }>('SELECT id FROM users WHERE email = $1', [mReviewer.email]);
    const mReview = { leadId: mReviewerUser.id, secondId: mAdmin.user.id };
    const reviewApi = (id: string, who: { agent: TestAgent; csrf: string }, method: 'get' | 'post' | 'put', path: string) =>
      who.agent[method](`/api/v1/orgs/${mAdmin.organization.slug}/reviews/${id}${path}`).set('X-CSRF-Token', who.csrf);
    await reviewApi(submitted.id, mAdmin, 'post', '/assign').send({ lead: mReview.leadId, second: mReview.secondId }).expect(200);
    for (const who of [mReviewer, mAdmin]) await reviewApi(submitted.id, who, 'post', '/declaration').send({ conflict: false, statement: `No interest ${CANARY_M}` }).expect(201);
    await reviewApi(submitted.id, mReviewer, 'put', `/findings/${submitted.answers[0].requirementKey}`)
      .send({ verdict: 'changes_requested', comment: `Comment ${CANARY_M}`, internalNote: `Note ${CANARY_M}` })
      .expect(200);
    await reviewApi(submitted.id, mReviewer, 'put', `/sections/${submitted.answers[0].section}/summary`).send({ publicSummary: `Summary ${CANARY_M}` }).expect(200);

    // A public register entry that is not A's: a third provider P, whose name and strings carry no canary
    // (an entry shows them to anyone), declares a service to M, every answer met with a text evidence, and
    // M verifies it with the same lead and second. The entry shows M's name, whose public marker is allowed.
    const third: Actor = await t.signUp({ organization: 'Third Provider' });
    const thirdApi = (method: 'post' | 'put', path: string) => third.agent[method](`/api/v1/orgs/${third.organization.slug}${path}`).set('X-CSRF-Token', third.csrf);
    const thirdService = await thirdApi('post', '/services')
      .send({ name: `Tool ${ENTRY_PUBLIC}`, description: 'A detection tool', url: 'https://third.example', profile: { directed_at_children: false } })
      .expect(201);
    const thirdEvidence = await thirdApi('post', '/evidence').send({ kind: 'text', title: 'Licensing policy', text: 'We license the tool only to vetted organisations.' }).expect(201);
    const thirdStarted = await thirdApi('post', '/assessments')
      .send({ serviceId: thirdService.body.id, code: CODE, version: VERSION, monitoringBody: mAdmin.organization.slug, targetLevel: 1 })
      .expect(201);
    const thirdAnswers = (thirdStarted.body.answers as Array<{ requirementKey: string; version: number }>).map((answer) => ({
      requirementKey: answer.requirementKey,
      claim: 'met',
      statement: `How we meet ${answer.requirementKey}.`,
      evidenceIds: [thirdEvidence.body.id],
      version: answer.version,
    }));
    const thirdId = thirdStarted.body.id as string;
    await thirdApi('put', `/assessments/${thirdId}/answers`).send({ answers: thirdAnswers }).expect(200);
    await thirdApi('post', `/assessments/${thirdId}/submit`).send({ signatory: { name: 'Third Signatory', title: 'Director', confirm: true } }).expect(200);
    await reviewApi(thirdId, mAdmin, 'post', '/assign').send({ lead: mReview.leadId, second: mReview.secondId }).expect(200);
    for (const who of [mReviewer, mAdmin]) await reviewApi(thirdId, who, 'post', '/declaration').send({ conflict: false, statement: 'No interest in this provider.' }).expect(201);
    const thirdReview = await reviewApi(thirdId, mReviewer, 'get', '').expect(200);
    for (const section of thirdReview.body.sections as Array<{ requirements: Array<{ key: string }> }>) {
      for (const item of section.requirements) await reviewApi(thirdId, mReviewer, 'put', `/findings/${item.key}`).send({ verdict: 'accepted' }).expect(200);
    }
    await reviewApi(thirdId, mReviewer, 'post', '/decision').send({ outcome: 'verified', publicSummary: 'Meets the code.' }).expect(201);
    await reviewApi(thirdId, mAdmin, 'post', '/decision/approve').send({}).expect(200);
    const [entry] = await t.sql<{ id: string }>(`SELECT id FROM register_entries WHERE assessment_id = $1 AND status = 'verified'`, [thirdId]);
    const attested = await request(t.server).get(`/api/v1/register/${entry.id}/attestation`).set('Accept', 'application/json').expect(200);
    // A complaint about P's entry, filed by the public: it is M's, the monitoring body of the entry.
    const filed = await request(t.server)
      .post(`/api/v1/register/${entry.id}/complaints`)
      .send({ category: 'non_compliance', text: 'Sold without the vetting the register describes.', email: `complainant.${CANARY_M}@example.org` })
      .expect(201);
    const [complaint] = await t.sql<{ id: string; version: number }>('SELECT id, version FROM complaints WHERE reference = $1', [filed.body.reference]);

    // Outsiders: another provider's owner, another monitoring body's admin, and their stand-ins.
    const otherProvider = await t.signUp({ organization: 'Second Provider' });
    const otherProviderStandIn = await t.addMember(otherProvider, 'owner');
    const otherMonitoringBody = await t.signUp({ organization: 'Second Monitor', kind: 'monitoring_body' });
    const otherMonitoringBodyStandIn = await t.addMember(otherMonitoringBody, 'admin');
    const walkIn = await t.signUp({ organization: 'Walk In' });

    // A real, unused setup link; unusable because an operator exists.
    const setup = newSecretToken();
    await t.sql(`INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + interval '1 day')`, [setup.hash]);
    // A real password reset link of A's owner, expired: nobody may set a password with it.
    const expiredReset = newSecretToken();
    await t.sql(`INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, now() - interval '1 hour', now() - interval '30 minutes')`, [owner.user.id, expiredReset.hash]);
    // A real e-mail verification link of A's owner, expired: nobody may confirm an address with it.
    const expiredVerification = newSecretToken();
    await t.sql(`INSERT INTO email_verifications (user_id, email, token_hash, created_at, expires_at) VALUES ($1, $2, $3, now() - interval '2 days', now() - interval '1 day')`, [
      owner.user.id,
      owner.user.email,
      expiredVerification.hash,
    ]);
    const [hashList] = await t.sql<{ id: string }>(`INSERT INTO hash_lists (name, source, entries, content_sha256) VALUES ('probe-seeded', 'file', 0, $1) RETURNING id`, ['0'.repeat(64)]);
    const [incident] = await t.sql<{ id: string }>(
      `INSERT INTO upload_incidents (organization_id, user_id, list_name, algorithm, digest, resolved_at, resolution_note)
       VALUES ($1, $2, 'probe-seeded', 'sha256', $3, now(), $4) RETURNING id`,
      [owner.organization.id, owner.user.id, '0'.repeat(64), `Resolved ${CANARY}`],
    );

    // One invitation of A per accepting route and actor, so that one acceptance cannot spoil another.
    const acceptLinks = new Map<string, { token: string; email: string }>();
    for (const key of Object.keys(EXPECTED).filter((candidate) => candidate.startsWith('POST ') && candidate.includes('/invitations/:token'))) {
      for (const actor of ACTORS) {
        const email = `invitee-${acceptLinks.size}.${CANARY}@example.org`;
        const created = await ownerApi('post', '/invitations').send({ email, role: 'viewer' }).expect(201);
        acceptLinks.set(`${key} ${actor}`, { token: created.body.token, email });
      }
    }

    callers.anonymous = await anonymousSession();
    callers.otherProvider = { kind: 'session', agent: otherProvider.agent, csrf: otherProvider.csrf };
    callers.otherMonitoringBody = { kind: 'session', agent: otherMonitoringBody.agent, csrf: otherMonitoringBody.csrf };
    callers.providerViewer = { kind: 'session', agent: viewer.agent, csrf: viewer.csrf };
    callers.readToken = { kind: 'token', token: read.token };
    callers.expiredToken = { kind: 'token', token: expired.token };
    callers.revokedToken = { kind: 'token', token: revoked.token };

    const walkInPerson = { email: walkIn.user.email, password: PASSWORD };
    throwawayPeople.anonymous = walkInPerson;
    throwawayPeople.otherProvider = { email: otherProviderStandIn.email, password: PASSWORD };
    throwawayPeople.otherMonitoringBody = { email: otherMonitoringBodyStandIn.email, password: PASSWORD };
    throwawayPeople.providerViewer = { email: viewerStandIn.email, password: PASSWORD };
    for (const actor of TOKEN_ACTORS) throwawayPeople[actor] = walkInPerson;

    return {
      a: { id: owner.organization.id, slug: owner.organization.slug, name: owner.organization.name, website, version: updated.body.version },
      m: { id: mAdmin.organization.id, slug: mAdmin.organization.slug, kind: 'monitoring_body' },
      mAdmin: { agent: mAdmin.agent, csrf: mAdmin.csrf },
      mReview,
      m2Slug: otherMonitoringBody.organization.slug,
      own: {
        otherProvider: { slug: otherProvider.organization.slug, kind: 'provider' },
        otherMonitoringBody: { slug: otherMonitoringBody.organization.slug, kind: 'monitoring_body' },
      },
      editor: { membershipId: editor.membershipId, membershipVersion: editor.membershipVersion },
      invitation: { id: invitation.body.id, token: invitation.body.token, email: invitation.body.email },
      service: { id: service.body.id, version: service.body.version },
      unassessedServiceId: unassessedService.id,
      evidence: { id: evidenceNow.body.id, version: evidenceNow.body.version, revision: evidenceNow.body.revision.number },
      assessment: { id: draft.id, requirementKey: draft.answers[0].requirementKey, section: draft.answers[0].section, answerVersion: draft.answers[0].version },
      submittedAssessmentId: submitted.id,
      entry: { id: entry.id, attestation: attested.body.attestation },
      complaint: { id: complaint.id, reference: filed.body.reference, secret: filed.body.secret, version: complaint.version },
      targetTokenId: target.id,
      targetPasskeyId: passkey.body.id,
      accreditationId: accreditation.body.id,
      setupToken: setup.token,
      resetToken: expiredReset.token,
      verificationToken: expiredVerification.token,
      hashListId: hashList.id,
      incidentId: incident.id,
      acceptLinks,
    };
  }

  /**
   * A session that may be ended or replaced: the routes that sign in, sign up, sign out, accept an
   * invitation or change a password would otherwise destroy the actor's own session (or, for a password,
   * every other session of that person). A signed-in actor gets a new session of its stand-in, a second
   * person with the same role in the same organization, so the rules (and the expected statuses) are the
   * same; anonymous gets a new anonymous session. Tokens carry no session and are used as they are.
   */
  async function freshCaller(actor: ActorName): Promise<Caller> {
    if (actor === 'anonymous') return anonymousSession();
    if (TOKEN_ACTORS.includes(actor)) return callers[actor];
    const person = throwawayPeople[actor];
    const session = await t.signIn(person.email, person.password);
    return { kind: 'session', agent: session.agent, csrf: session.csrf };
  }

  // ── the path of a route, with A's resources ──

  function paramValue(key: string, name: string, actor: ActorName): string | undefined {
    const [method, path] = key.split(' ');
    switch (name) {
      case 'org':
        return s.a.slug;
      case 'code':
        return CODE;
      case 'version':
        return VERSION;
      case 'membershipId':
        return s.editor.membershipId;
      case 'invitationId':
        return s.invitation.id;
      case 'requirementKey':
        return s.assessment.requirementKey;
      case 'section':
      case 'sectionKey':
        return s.assessment.section;
      case 'evidenceId':
        return s.evidence.id;
      case 'number':
        return String(s.evidence.revision);
      case 'id':
        // The complaint about P's entry; P's entry in the public register, its attestation and its complaint pages.
        if (path.includes('/hash-lists/:id')) return s.hashListId;
        if (path.includes('incidents/:id')) return s.incidentId;
        if (path.includes('/complaints/:id')) return s.complaint.id;
        if (path.startsWith('/api/v1/register/:id') || path.startsWith('/register/:id')) return s.entry.id;
        if (path.includes('/services/:id')) return s.service.id;
        if (path.includes('/evidence/:id')) return s.evidence.id;
        // Only the submitted assessment has submissions to show, and a review.
        if (path.endsWith('/assessments/:id/submissions') || path.endsWith('/assessments/:id/review')) return s.submittedAssessmentId;
        if (path.includes('/reviews/:id')) return s.submittedAssessmentId;
        if (path.includes('/assessments/:id')) return s.assessment.id;
        if (path.includes('/tokens/:id')) return s.targetTokenId;
        if (path.includes('/passkeys/:id')) return s.targetPasskeyId;
        if (path.includes('/accreditations/:id')) return s.accreditationId;
        if (path.includes('/admin/users/:id')) return s.mReview.leadId;
        if (path.includes('/admin/organizations/:id')) return s.a.id;
        if (path.includes('/sessions/:id')) return 'a'.repeat(32);
        return undefined;
      case 'domain':
        // Nobody in the matrix may decide a claim, so any well-formed domain does.
        return 'probe.example';
      case 'token':
        if (path.startsWith('/setup/')) return s.setupToken;
        if (path.includes('reset-password/:token') || path.includes('password-reset/:token')) return s.resetToken;
        if (path.includes('verify-email/:token')) return s.verificationToken;
        if (path.includes('/invitations/:token')) return method === 'GET' ? s.invitation.token : s.acceptLinks.get(`${key} ${actor}`)?.token;
        return undefined;
      default:
        return undefined;
    }
  }

  function urlFor(key: string, actor: ActorName, org?: string): string {
    const path = key.split(' ')[1];
    const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      const value = name === 'org' && org ? org : paramValue(key, name, actor);
      if (value === undefined) {
        throw new Error(`${key}: no value for :${name}. Extend paramValue() in test/isolation-matrix.e2e-spec.ts with the resource of tenant A this route expects.`);
      }
      return encodeURIComponent(value);
    });
    return filled + (EXPECTED[key]?.query ?? '');
  }

  // ── what must not change ──

  type Fingerprint = { target: Record<string, string>; global: Record<string, string> };

  /**
   * A and M's rows (tokens without last_used_at, which authentication updates; the register entries A
   * holds or M verified; M's complaints), the code catalogue, and identity-wide counts.
   */
  async function fingerprint(): Promise<Fingerprint> {
    const rows = (table: string, where: string, json = `to_jsonb(x)`, order = 'x.id') =>
      `(SELECT count(*) || ':' || coalesce(md5(string_agg(${json}::text, '|' ORDER BY ${order})), '-') FROM ${table} x WHERE ${where})`;
    // A named statement: PostgreSQL plans these forty-odd subqueries once per connection instead of on
    // each of the thousand calls, where planning took most of the time.
    const pool = (t.app.get(DataSource).driver as unknown as { master: Pool }).master;
    const {
      rows: [row],
    } = await pool.query<Record<string, string>>({
      name: 'isolation-matrix-fingerprint',
      text: `SELECT
         ${rows('organizations', 'x.id = ANY($1::uuid[])')} AS organizations,
         ${rows('memberships', 'x.organization_id = ANY($1::uuid[])')} AS memberships,
         ${rows('invitations', 'x.organization_id = ANY($1::uuid[])')} AS invitations,
         ${rows('api_tokens', 'x.organization_id = ANY($1::uuid[])', `(to_jsonb(x) - 'last_used_at')`)} AS api_tokens,
         ${rows('services', 'x.organization_id = ANY($1::uuid[])')} AS services,
         ${rows('evidence', 'x.organization_id = ANY($1::uuid[])')} AS evidence,
         ${rows('evidence_revisions', 'x.organization_id = ANY($1::uuid[])')} AS evidence_revisions,
         ${rows('assessments', 'x.organization_id = ANY($1::uuid[])')} AS assessments,
         ${rows('answers', 'x.organization_id = ANY($1::uuid[])')} AS answers,
         ${rows('answer_evidence', 'x.organization_id = ANY($1::uuid[])', `to_jsonb(x)`, 'x.answer_id, x.evidence_id')} AS answer_evidence,
         ${rows('assessment_submissions', 'x.organization_id = ANY($1::uuid[])')} AS assessment_submissions,
         ${rows('reviews', 'x.organization_id = ANY($1::uuid[])', `to_jsonb(x)`, 'x.assessment_id')} AS reviews,
         ${rows('review_declarations', 'x.organization_id = ANY($1::uuid[])')} AS review_declarations,
         ${rows('findings', 'x.organization_id = ANY($1::uuid[])')} AS findings,
         ${rows('finding_notes', 'x.organization_id = ANY($1::uuid[])', `to_jsonb(x)`, 'x.finding_id')} AS finding_notes,
         ${rows('section_summaries', 'x.organization_id = ANY($1::uuid[])', `to_jsonb(x)`, 'x.assessment_id, x.section_key')} AS section_summaries,
         ${rows('decisions', 'x.organization_id = ANY($1::uuid[])')} AS decisions,
         ${rows('register_entries', 'x.provider_id = ANY($1::uuid[]) OR x.monitoring_body_id = ANY($1::uuid[])')} AS register_entries,
         ${rows('complaints', 'x.monitoring_body_id = ANY($1::uuid[])')} AS complaints,
         (SELECT count(*) || ':' || coalesce(max(id), 0) FROM audit_events WHERE organization_id = ANY($1::uuid[])) AS audit_events,
         ${rows('accreditations', 'true')} AS accreditations,
         ${rows('code_versions', 'true')} AS code_versions,
         (SELECT count(*)::text FROM organizations) AS g_organizations,
         (SELECT count(*)::text FROM memberships) AS g_memberships,
         (SELECT count(*)::text FROM invitations) AS g_invitations,
         (SELECT count(*)::text FROM api_tokens) AS g_api_tokens,
         (SELECT count(*)::text FROM services) AS g_services,
         (SELECT count(*)::text FROM evidence) AS g_evidence,
         (SELECT count(*)::text FROM evidence_revisions) AS g_evidence_revisions,
         (SELECT count(*)::text FROM assessments) AS g_assessments,
         (SELECT count(*)::text FROM answers) AS g_answers,
         (SELECT count(*)::text FROM answer_evidence) AS g_answer_evidence,
         (SELECT count(*)::text FROM assessment_submissions) AS g_assessment_submissions,
         (SELECT count(*)::text FROM reviews) AS g_reviews,
         (SELECT count(*)::text FROM findings) AS g_findings,
         (SELECT count(*)::text FROM decisions) AS g_decisions,
         (SELECT count(*)::text FROM register_entries) AS g_register_entries,
         (SELECT count(*)::text FROM register_events) AS g_register_events,
         (SELECT count(*)::text FROM complaints) AS g_complaints,
         (SELECT count(*)::text FROM notifications) AS g_notifications,
         (SELECT count(*)::text FROM codes) AS g_codes,
         ${rows('users', 'true', `jsonb_build_array(x.email, x.name, x.password_hash, x.is_operator)`)} AS g_users,
         (SELECT count(*)::text FROM setup_tokens WHERE used_at IS NOT NULL) AS g_setup_used,
         ${rows('passkeys', 'true')} AS g_passkeys`,
      values: [[s.a.id, s.m.id]],
    });
    const target: Record<string, string> = {};
    const global: Record<string, string> = {};
    for (const [name, value] of Object.entries(row)) (name.startsWith('g_') ? global : target)[name] = String(value);
    return { target, global };
  }

  // ── one call ──

  /**
   * Makes one request as `actor`, with A's resources in the path (or `org` instead of A's slug), and a
   * body that would be valid if the caller were allowed. Whatever an outsider receives is checked for the
   * canary here, before the caller looks at the status, so no outsider response escapes the check.
   */
  async function call(key: string, actor: ActorName, org?: { slug: string; kind: 'provider' | 'monitoring_body' }) {
    const spec = EXPECTED[key];
    const method = key.split(' ')[0];
    const caller = spec.throwaway ? await freshCaller(actor) : callers[actor];
    const person = throwawayPeople[actor];
    sequence += 1;
    const n = `${actor.toLowerCase()}-${sequence}-${Date.now().toString(36)}`;
    const newPassword = `${PASSWORD} ${n}`;
    const url = urlFor(key, actor, org?.slug);

    const client = caller.kind === 'session' ? caller.agent : request(t.server);
    let req = (client as unknown as Record<string, (url: string) => request.Test>)[method.toLowerCase()](url).redirects(0).buffer(true);
    if (caller.kind === 'token') req = req.set('Authorization', `Bearer ${caller.token}`);

    if (isWrite(method)) {
      if (!spec.body) throw new Error(`${key} is a write with no body in EXPECTED: give it one that would be valid if the caller were allowed.`);
      const body = spec.body({ s, actor, person, n, newPassword, orgKind: org?.kind ?? 'provider' });
      const csrf = caller.kind === 'session' ? caller.csrf : undefined;
      if ('form' in body) {
        // A browser's form post: the caller's own token in the _csrf field.
        req = req.type('form').send(new URLSearchParams([...body.form, ...(csrf ? [['_csrf', csrf] as [string, string]] : [])]).toString());
      } else if ('multipart' in body) {
        // A file upload. A page's form carries the token in its action, since the body is read only after
        // the guard has checked it; an API caller sends the header, as for any other body.
        if (csrf) req = isApiPath(key.split(' ')[1]) ? req.set('X-CSRF-Token', csrf) : req.query({ _csrf: csrf });
        for (const [name, value] of body.multipart.fields) req = req.field(name, value);
        const { name, contentType, content } = body.multipart.file;
        req = req.attach('file', Buffer.from(content, 'utf8'), { filename: name, contentType });
      } else {
        if (csrf) req = req.set('X-CSRF-Token', csrf);
        if ('json' in body) req = req.send(body.json);
        else if ('yaml' in body) req = req.set('Content-Type', 'application/yaml').send(body.yaml);
        else if ('csv' in body) req = req.set('Content-Type', 'text/csv').send(body.csv);
      }
    }
    const response = await req;
    const text = textOf(response);
    if (spec.changesPassword && response.status < 400) person.password = newPassword;

    // The state after this call, taken before anything can fail, so that the next call compares with it.
    const before = baseline;
    const after = await fingerprint();
    baseline = after;

    tally.requests += 1;
    if (actor !== 'anonymous') {
      tally.privateAnswersChecked += 1;
      if (response.headers['cache-control'] !== 'no-store') {
        throw new Error(`${key} as ${actor} (${url}) answers with Cache-Control: ${response.headers['cache-control'] ?? '(none)'}, not no-store`);
      }
    }
    tally.monitoringBodyCanaryChecks += 1;
    if (text.toLowerCase().includes(CANARY_M.toLowerCase())) {
      throw new Error(`${key} as ${actor} (${url}) leaks monitoring body M: the response contains ${CANARY_M}:\n${text.slice(0, 3000)}`);
    }
    if (OUTSIDERS.includes(actor)) {
      tally.outsiderRequests += 1;
      // The slug is in the URL the caller sent itself; it is the one thing of A the caller may see echoed.
      let visible = text.toLowerCase().split(s.a.slug).join('');
      if (spec.invitationLink) {
        // Holding A's invitation link shows A's name and website and the invited address, nothing more.
        const link = method === 'GET' ? s.invitation : s.acceptLinks.get(`${key} ${actor}`)!;
        for (const allowed of [s.a.name, s.a.website, link.email]) visible = visible.split(allowed.toLowerCase()).join('');
      }
      tally.outsiderCanaryChecks += 1;
      if (visible.includes(CANARY.toLowerCase())) {
        throw new Error(`${key} as ${actor} (${url}) leaks tenant A: the response contains ${CANARY}:\n${text.slice(0, 3000)}`);
      }
    }
    return { response, text, url, change: { before, after } };
  }

  function expectStatus(key: string, actor: ActorName, url: string, response: request.Response, text: string, expected: Status): void {
    if (!statuses(expected).includes(response.status)) {
      throw new Error(`${key} as ${actor} (${url}): expected ${statuses(expected).join(' or ')}, got ${response.status}:\n${text.slice(0, 1500)}`);
    }
  }

  /**
   * Compares the state after a call with the state before it: a refusal, a read and a write that only
   * computes its answer write nothing at all; an allowed write leaves A and M alone unless it is A's own
   * business (accepting A's invitation), or a complaint, which anyone may file and which belongs to M as
   * the monitoring body of P's entry: exactly one more complaint of M's, and nothing else of A's or M's.
   */
  function expectNothingWritten(key: string, actor: ActorName, expected: Status, mayWriteTarget: boolean, change: { before: Fingerprint; after: Fingerprint }): void {
    const method = key.split(' ')[0];
    const refused = isRefusal(key, expected);
    if (!isWrite(method) || refused || EXPECTED[key]?.writesNothing) {
      if (isWrite(method) && refused) tally.refusedWritesChecked += 1;
      expect({ key, actor, ...change.after }).toEqual({ key, actor, ...change.before });
    } else if (EXPECTED[key]?.filesComplaint) {
      const { complaints: before, ...otherBefore } = change.before.target;
      const { complaints: after, ...otherAfter } = change.after.target;
      const count = (fingerprinted: string) => Number(fingerprinted.split(':')[0]);
      expect({ key, actor, target: otherAfter, complaintsOfM: count(after) }).toEqual({ key, actor, target: otherBefore, complaintsOfM: count(before) + 1 });
      tally.complaintsFiled += 1;
    } else if (!mayWriteTarget) {
      expect({ key, actor, target: change.after.target }).toEqual({ key, actor, target: change.before.target });
    }
  }

  /** A CSRF refusal would make every refused write pass for the wrong reason: each actor sends its own valid token. */
  function expectNotACsrfRefusal(key: string, actor: ActorName, text: string): void {
    if (isWrite(key.split(' ')[0]) && !TOKEN_ACTORS.includes(actor)) expect({ key, actor, csrfRefused: text.includes('did not come from this site') }).toEqual({ key, actor, csrfRefused: false });
  }

  async function runCase(key: string, actor: ActorName): Promise<void> {
    const spec = EXPECTED[key];
    const method = key.split(' ')[0];
    const expected = spec.expect[ACTORS.indexOf(actor)];
    const { response, text, url, change } = await call(key, actor);

    expectStatus(key, actor, url, response, text, expected);
    if (response.status === 303 && method === 'GET' && isRefusal(key, expected)) {
      expect({ key, actor, location: response.headers.location }).toEqual({ key, actor, location: expect.stringMatching(/^\/signin\?next=/) });
    }
    expectNotACsrfRefusal(key, actor, text);
    expectNothingWritten(key, actor, expected, spec.writesTarget?.includes(actor) ?? false, change);

    // Another organization answers exactly as a missing one: same status, same body.
    if (comparedWithMissing(key, actor)) {
      const missing = await call(key, actor, { slug: MISSING_SLUG, kind: 'provider' });
      // The body without the headers (request id, length), the slug, and a flash left by the caller's previous form post.
      const body = (candidate: string, slug: string) =>
        candidate
          .slice(candidate.indexOf('\n') + 1)
          .split(slug)
          .join(':org')
          .replace(/\n\s*<p class="flash [^"]*" role="[^"]*">[\s\S]*?<\/p>/g, '');
      expect({ key, actor, status: missing.response.status, body: body(missing.text, MISSING_SLUG) }).toEqual({ key, actor, status: response.status, body: body(text, s.a.slug) });
      expectNothingWritten(key, actor, expected, false, missing.change);
    }

    // A's own callers see A's data where the route returns it: the canary seeding is real.
    if (spec.readsTarget && (actor === 'providerViewer' || actor === 'readToken') && response.status === 200) {
      expect(text).toContain(CANARY);
      tally.insiderCanarySeen += 1;
    }
    if (spec.listsAccreditedBodies && response.status === 200) {
      expect(text).toContain(MB_PUBLIC);
      tally.accreditedBodySeen += 1;
    }
    if (spec.showsEntry && response.status < 300) {
      expect({ key, actor, showsEntry: text.includes(ENTRY_PUBLIC) }).toEqual({ key, actor, showsEntry: true });
      tally.publicEntrySeen += 1;
    }
  }

  // ── the tests ──

  it('has an entry for every route the application declares, and none for a route that is gone', () => {
    const declared = routeTable(t.app).map((route) => `${route.method} ${route.path}`);
    expect(declared.length).toBeGreaterThan(80);
    expect({ missingFromExpected: declared.filter((key) => !(key in EXPECTED)) }).toEqual({ missingFromExpected: [] });
    expect({ notDeclaredByTheApp: Object.keys(EXPECTED).filter((key) => !declared.includes(key)) }).toEqual({ notDeclaredByTheApp: [] });
    const withForeignIds = declared.filter((key) => key.includes('/:org/') && /\/:org\/.*:[A-Za-z]+/.test(key));
    expect({ throughOwnOrganization: Object.keys(THROUGH_OWN_ORGANIZATION).sort() }).toEqual({ throughOwnOrganization: withForeignIds.sort() });
  });

  it('can fill every path parameter of every route with a resource of A', () => {
    const unfillable: string[] = [];
    for (const route of routeTable(t.app)) {
      for (const actor of ACTORS) {
        try {
          urlFor(`${route.method} ${route.path}`, actor);
        } catch (error) {
          unfillable.push((error as Error).message);
        }
      }
    }
    expect([...new Set(unfillable)]).toEqual([]);
  });

  it('gives every write a body, and states a status for every actor', () => {
    for (const [key, spec] of Object.entries(EXPECTED)) {
      expect({ key, hasBody: isWrite(key.split(' ')[0]) ? spec.body !== undefined : true }).toEqual({ key, hasBody: true });
      expect({ key, columns: spec.expect.length }).toEqual({ key, columns: ACTORS.length });
    }
  });

  it('seeded A with the canary everywhere, and its data is really there', async () => {
    const [a] = await t.sql<{ name: string; website: string; country: string }>('SELECT name, website, country FROM organizations WHERE id = $1', [s.a.id]);
    expect(a).toEqual({ name: `Target ${CANARY}`, website: `https://target.example/${CANARY}`, country: 'DE' });
    const people = await t.sql<{ name: string; email: string; role: string }>(
      'SELECT u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ANY($1::uuid[]) ORDER BY m.created_at',
      [[s.a.id, s.m.id]],
    );
    expect(people.map((row) => row.role).sort()).toEqual(['admin', 'editor', 'owner', 'reviewer', 'viewer', 'viewer']);
    for (const row of people) expect(`${row.name} ${row.email}`).toContain(['admin', 'reviewer'].includes(row.role) ? CANARY_M : CANARY);
    const [counts] = await t.sql<Record<string, string>>(
      `SELECT (SELECT count(*) FROM invitations WHERE organization_id = $1 AND email LIKE '%' || $2 || '%' AND accepted_at IS NULL) AS pending_invitations,
              (SELECT count(*) FROM api_tokens WHERE organization_id = $1 AND name LIKE '%' || $2 || '%') AS tokens,
              (SELECT count(*) FROM services WHERE organization_id = $1 AND name LIKE '%' || $2 || '%' AND description LIKE '%' || $2 || '%' AND url LIKE '%' || $2 || '%' AND profile = '{"directed_at_children": true}') AS services,
              (SELECT count(*) FROM audit_events WHERE organization_id = $1 AND data::text LIKE '%' || $2 || '%') AS audit_events_with_canary,
              (SELECT count(*) FROM api_tokens WHERE organization_id = $1 AND expires_at < now()) AS expired_tokens,
              (SELECT count(*) FROM api_tokens WHERE organization_id = $1 AND revoked_at IS NOT NULL) AS revoked_tokens,
              (SELECT count(*) FROM accreditations WHERE organization_id = $3 AND ended_at IS NULL) AS accreditations_of_m,
              (SELECT count(*) FROM evidence WHERE organization_id = $1 AND kind = 'file' AND title LIKE '%' || $2 || '%' AND description LIKE '%' || $2 || '%') AS evidence,
              (SELECT count(*) FROM evidence_revisions WHERE organization_id = $1 AND number = 1 AND file_name LIKE '%' || $2 || '%' AND note LIKE '%' || $2 || '%') AS evidence_revisions,
              (SELECT count(*) FROM assessments WHERE organization_id = $1 AND monitoring_body_id = $3) AS assessments,
              (SELECT string_agg(state, ',' ORDER BY state) FROM assessments WHERE organization_id = $1) AS assessment_states,
              (SELECT count(*) FROM answers WHERE organization_id = $1 AND (claim IS DISTINCT FROM 'met' OR statement NOT LIKE '%' || $2 || '%')) AS answers_without_canary,
              (SELECT count(*) FROM answers a WHERE a.organization_id = $1 AND NOT EXISTS (SELECT 1 FROM answer_evidence l WHERE l.answer_id = a.id)) AS answers_without_evidence,
              (SELECT count(*) FROM assessment_submissions WHERE organization_id = $1 AND signatory_name LIKE '%' || $2 || '%' AND snapshot::text LIKE '%' || $2 || '%') AS submissions,
              (SELECT count(*) FROM reviews r JOIN assessments a ON a.id = r.assessment_id WHERE r.organization_id = $3 AND a.organization_id = $1) AS reviews_of_m,
              (SELECT count(*) FROM review_declarations WHERE organization_id = $3 AND statement LIKE '%' || $4 || '%') AS declarations_of_m,
              (SELECT count(*) FROM findings f JOIN finding_notes n ON n.finding_id = f.id WHERE f.organization_id = $3 AND NOT f.released AND f.comment LIKE '%' || $4 || '%' AND n.note LIKE '%' || $4 || '%') AS noted_findings_of_m,
              (SELECT count(*) FROM section_summaries WHERE organization_id = $3 AND public_summary LIKE '%' || $4 || '%') AS summaries_of_m`,
      [s.a.id, CANARY, s.m.id, CANARY_M],
    );
    expect(counts).toEqual({
      // the canary invitation, and one per accepting route and actor
      pending_invitations: String(1 + s.acceptLinks.size),
      tokens: '4',
      // the first service, the submitted assessment's, and the one without an assessment
      services: '3',
      audit_events_with_canary: expect.stringMatching(/^[1-9]\d*$/),
      expired_tokens: '1',
      revoked_tokens: '1',
      accreditations_of_m: '1',
      evidence: '1',
      evidence_revisions: '1',
      assessments: '2',
      assessment_states: 'draft,in_review',
      answers_without_canary: '0',
      answers_without_evidence: '0',
      submissions: '1',
      reviews_of_m: '1',
      declarations_of_m: '2',
      noted_findings_of_m: '1',
      summaries_of_m: '1',
    });
    const [answers] = await t.sql<{ count: string }>('SELECT count(*) FROM answers WHERE organization_id = $1', [s.a.id]);
    expect(Number(answers.count)).toBeGreaterThan(1);
  });

  it('seeded a public register entry of a third provider, verified by M and free of A’s and M’s canaries, and a complaint of M’s about it', async () => {
    const shown = await request(t.server).get(`/api/v1/register/${s.entry.id}`).expect(200);
    expect(shown.body).toEqual(expect.objectContaining({ status: 'verified', monitoringBody: { id: s.m.id, name: expect.stringContaining(MB_PUBLIC) } }));
    expect(shown.body.provider.id).not.toBe(s.a.id);
    expect(shown.text).toContain(ENTRY_PUBLIC);
    expect(shown.text.toLowerCase()).not.toContain(CANARY.toLowerCase());
    expect(shown.text.toLowerCase()).not.toContain(CANARY_M.toLowerCase());
    const complaints = await t.sql<{ id: string; email: string; status: string }>('SELECT id, email, status FROM complaints WHERE monitoring_body_id = $1', [s.m.id]);
    expect(complaints).toEqual([{ id: s.complaint.id, email: `complainant.${CANARY_M}@example.org`, status: 'received' }]);
  });

  it('the outsiders are signed in (their 404s are isolation, not a broken session)', async () => {
    for (const actor of CROSS_ACTORS) {
      const caller = callers[actor] as Caller & { kind: 'session' };
      const session = await caller.agent.get('/api/v1/auth/session').expect(200);
      expect(session.body.csrfToken).toBe(caller.csrf);
      expect(session.body.memberships).toHaveLength(1);
      expect(session.body.memberships[0].organization.slug).toBe(s.own[actor].slug);
    }
  });

  const matrix = (keys: readonly string[]) =>
    describe.each(keys)('%s', (key) => {
      it.each(ACTORS)('as %s', (actor) => runCase(key, actor));
    });

  describe('every route, every actor, with A in the path', () => matrix(MAIN_KEYS));

  describe('A’s ids through the outsider’s own organization', () => {
    describe.each(Object.keys(THROUGH_OWN_ORGANIZATION))('%s', (key) => {
      it.each(CROSS_ACTORS)('as %s', async (actor) => {
        const expected = THROUGH_OWN_ORGANIZATION[key][CROSS_ACTORS.indexOf(actor)];
        const { response, text, url, change } = await call(key, actor, s.own[actor]);
        expectStatus(key, actor, url, response, text, expected);
        expectNotACsrfRefusal(key, actor, text);
        expectNothingWritten(key, actor, expected, false, change);
      });
    });
  });

  describe('M’s accreditations, reviews and complaints, with M in the path', () => {
    it('M has an accreditation to hide (seen by its own admin)', async () => {
      const own = await s.mAdmin.agent.get(`/api/v1/orgs/${s.m.slug}/accreditations`).expect(200);
      expect(own.body).toEqual([expect.objectContaining({ id: s.accreditationId, code: expect.anything() })]);
    });

    it('M has a complaint to hide (seen by its own admin, the complainant’s address with M’s canary)', async () => {
      const own = await s.mAdmin.agent.get(`/api/v1/orgs/${s.m.slug}/complaints/${s.complaint.id}`).expect(200);
      expect(own.body).toEqual(expect.objectContaining({ id: s.complaint.id, reference: s.complaint.reference, email: expect.stringContaining(CANARY_M) }));
    });

    describe.each(Object.keys(MONITORING_BODY_TARGET))('%s', (key) => {
      it.each(ACTORS)('as %s', async (actor) => {
        const expected = MONITORING_BODY_TARGET[key][ACTORS.indexOf(actor)];
        const { response, text, url, change } = await call(key, actor, s.m);
        expectStatus(key, actor, url, response, text, expected);
        expect(text).not.toContain(s.accreditationId);
        expect(text).not.toContain(s.complaint.reference);
        expectNothingWritten(key, actor, expected, false, change);
      });
    });
  });

  describe('routes that end or replace a session, on throwaway sessions, last', () => matrix(SESSION_KEYS));

  it('checked the canary in every outsider response, and saw it where A’s callers read A', () => {
    expect(tally.outsiderRequests).toBe(OUTSIDER_REQUESTS);
    expect(tally.outsiderCanaryChecks).toBe(OUTSIDER_REQUESTS);
    expect(tally.requests).toBeGreaterThan(700);
    expect(tally.monitoringBodyCanaryChecks).toBe(tally.requests);
    expect(tally.privateAnswersChecked).toBeGreaterThan(600);
    const insiderReads = CASE_KEYS.filter((key) => EXPECTED[key].readsTarget).reduce(
      (sum, key) =>
        sum + (['providerViewer', 'readToken'] as const).filter((actor) => statuses(EXPECTED[key].expect[ACTORS.indexOf(actor)]).includes(200)).length,
      0,
    );
    expect(insiderReads).toBeGreaterThanOrEqual(10);
    expect(tally.insiderCanarySeen).toBe(insiderReads);
    expect(tally.accreditedBodySeen).toBeGreaterThanOrEqual(10);
    // Every successful call of a route that shows P's entry showed it, and every successful filing added a complaint.
    const succeeded = (flag: 'showsEntry' | 'filesComplaint') =>
      CASE_KEYS.filter((key) => EXPECTED[key][flag]).reduce((sum, key) => sum + EXPECTED[key].expect.filter((status) => !isRefusal(key, status)).length, 0);
    expect(succeeded('showsEntry')).toBeGreaterThanOrEqual(40);
    expect(tally.publicEntrySeen).toBe(succeeded('showsEntry'));
    expect(tally.complaintsFiled).toBe(succeeded('filesComplaint'));
    expect(tally.refusedWritesChecked).toBeGreaterThan(250);
  });

  it('made no failed sign-in (the per-client brake stays untouched)', async () => {
    const [attempts] = await t.sql<{ succeeded: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE succeeded)::int AS succeeded, count(*) FILTER (WHERE NOT succeeded)::int AS failed FROM sign_in_attempts`,
    );
    expect(attempts).toEqual({ succeeded: expect.any(Number), failed: 0 });
    expect(attempts.succeeded).toBeGreaterThan(20);
  });
});
