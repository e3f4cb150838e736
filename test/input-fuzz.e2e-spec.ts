import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { newSecretToken } from '../src/common/secret-token';
import { AppConfig } from '../src/config/app-config.service';
import { accredit, asCaller, call, CODE, createService, day, NOT_CHILD_DIRECTED, OPERATOR, OPERATOR_ENV, orgPath, startAssessment, uploadFile, VERSION } from './support/assessment-fixtures';
import { complaintId, fileComplaint } from './support/complaint-fixtures';
import {
  abbreviated,
  hostileText,
  hostileValue,
  MEGABYTE_TEXT,
  multipartBody,
  type Part,
  POLLUTING_JSON_MEMBERS,
  pollutingFormPairs,
  prototypeSnapshot,
  TRICKY_TEXT,
  withRawMember,
} from './support/hostile-input';
import { csrfFrom } from './support/html';
import { monitoringBody, openReview, verifiedAssessment, type Team } from './support/review-fixtures';
import { routeTable } from './support/route-table';
import { SoftwareAuthenticator, UNSIGNED_ASSERTION, UNSIGNED_REGISTRATION } from './support/software-authenticator';
import { Actor, createTestApp, PASSWORD, TestApp } from './support/test-app';
import { submittedAssessment } from './support/verification-fixtures';

/**
 * Bad input, everywhere. Every write route of the application (and every GET that reads a query) is
 * called by a caller who passes its access rule, with its path filled with real seeded resources, and a
 * request built from a valid one and then broken: wrong types, missing and unknown fields, text over a
 * megabyte, odd unicode, prototype keys, malformed JSON, wrong content types, broken multipart. Whatever
 * comes, the application answers without a server error; a refusal writes no row anywhere and says what
 * was wrong; and Object.prototype stays as it was. A route the application declares without an entry in
 * EXPECTATIONS fails the first test, so a new route joins by itself.
 */

/**
 * Each route gets one request of every kind of breakage its encodings know (a fixed example per kind,
 * so no kind is left to chance), then this many drawn at random among them, all from a seed of its own.
 * Two: the fixed examples already try every kind, and each further draw per route adds some 3 s of CPU.
 */
const RANDOM_RUNS_PER_ROUTE = 2;
const GREEN_HOSTING_YAML = readFileSync(join(__dirname, 'fixtures', 'codes', 'green-hosting-1.0.0.yaml'), 'utf8');
/** The tables a refused request legitimately writes: every failed sign-in and wrong second-factor code is recorded, for the brakes on guessing. */
const WRITTEN_ON_REFUSAL = ['sign_in_attempts', 'sign_in_throttles', 'second_factor_failures'];

// ─── Who calls, and how a valid request looks ────────────────────────────────────────────────────────

/**
 * - owner: the provider's owner (every provider permission, and signing);
 * - admin, lead, second: the monitoring body's admin and its two reviewers of the seeded reviews;
 * - operator: the platform operator;
 * - visitor: one anonymous browser session (its form token);
 * - newVisitor: a new anonymous session for every request, for routes that sign in or create an account;
 * - newSession: a new signed-in session of a person of its own for every request, for routes that sign out or change the password.
 */
type ActorName = 'owner' | 'admin' | 'lead' | 'second' | 'operator' | 'visitor' | 'newVisitor' | 'newSession';

type Fields = Record<string, string>;
/** A valid request to the route, in one of the encodings it takes. */
type Valid =
  | { json: (s: Seed) => Record<string, unknown> }
  | { form: (s: Seed) => Fields }
  | { multipart: (s: Seed) => { fields: Fields; file: Part } }
  | { yaml: () => string }
  | { csv: (s: Seed) => string }
  | { query: (s: Seed) => Fields; filters: readonly string[] };

interface Expectation {
  as: ActorName;
  /** Every encoding the route takes; each run uses one of them. */
  valid: readonly Valid[];
}

const json = (body: (s: Seed) => Record<string, unknown> = () => ({})): Valid => ({ json: body });
const form = (body: (s: Seed) => Fields = () => ({})): Valid => ({ form: body });
const query = (filters: readonly string[], valid: (s: Seed) => Fields = () => ({})): Valid => ({ query: valid, filters });
const textFile = (name: string, content: string, contentType = 'text/plain'): Part => ({ name: 'file', value: content, fileName: name, contentType });

const probeAnswer = (s: Seed) => ({ claim: 'met', statement: 'Probe statement', evidenceIds: [s.evidence.id], version: s.draft.answerVersion });
const answersCsv = (s: Seed) => `requirement_key,claim,statement,justification,evidence_ids,version\n${s.draft.requirementKey},met,Probe,,${s.evidence.id},${s.draft.answerVersion}\n`;
const sectionForm = (s: Seed): Fields => {
  const name = (field: string) => `answers[${s.draft.requirementKey}][${field}]`;
  return { [name('claim')]: 'met', [name('statement')]: 'Probe statement', [`${name('evidenceIds')}[0]`]: s.evidence.id, [name('version')]: String(s.draft.answerVersion) };
};
const fileUpload = () => ({ fields: { title: 'Probe upload', note: 'Probe', confirmation: 'true' }, file: textFile('probe.txt', 'Probe evidence\n') });
const revisionUpload = () => ({ fields: { note: 'Probe revision', confirmation: 'true' }, file: textFile('revision.txt', 'Probe revision\n') });
const assignment = (s: Seed) => ({ lead: s.team.lead.userId, second: s.team.second.userId, version: 1 });

const REGISTER_FILTERS = ['q', 'code', 'status', 'level', 'body', 'country', 'sort'] as const;

/**
 * How each route is reached validly. Path parameters are filled by paramFor(). Reviews, reports and
 * complaints are the monitoring body's (its slug in :org); everything else with :org is the provider's.
 */
const EXPECTATIONS: Record<string, Expectation> = {
  // ── public: the register, attestations, complaints ──
  'GET /api/v1/register':                               { as: 'visitor', valid: [query([...REGISTER_FILTERS, 'cursor', 'limit'])] },
  'GET /api/v1/register/events':                        { as: 'visitor', valid: [query(['after', 'limit'])] },
  'GET /register':                                      { as: 'visitor', valid: [query([...REGISTER_FILTERS, 'page'])] },
  'POST /api/v1/register/verify':                       { as: 'visitor', valid: [json((s) => ({ attestation: s.attestation }))] },
  'POST /register/verify':                              { as: 'visitor', valid: [form((s) => ({ attestation: s.attestation }))] },
  'POST /api/v1/register/:id/complaints':               { as: 'visitor', valid: [json(() => ({ category: 'other', text: 'Probe complaint', email: 'probe@example.org' }))] },
  'POST /register/:id/complaints':                      { as: 'visitor', valid: [form(() => ({ category: 'other', text: 'Probe complaint' }))] },
  'POST /api/v1/register/complaints/follow':            { as: 'visitor', valid: [json((s) => ({ reference: s.complaint.reference, secret: s.complaint.secret }))] },
  'POST /register/complaints/follow':                   { as: 'visitor', valid: [form((s) => ({ reference: s.complaint.reference, secret: s.complaint.secret }))] },
  'GET /api/v1/codes/:code/diff':                       { as: 'visitor', valid: [query(['from', 'to'], () => ({ from: VERSION, to: VERSION }))] },
  'GET /codes/:code/diff':                              { as: 'visitor', valid: [query(['from', 'to'], () => ({ from: VERSION, to: VERSION }))] },

  // ── the operator: codes and accreditations (the draft code is green-hosting; the accreditation to end is the second body's) ──
  'POST /api/v1/codes':                                 { as: 'operator', valid: [{ yaml: () => GREEN_HOSTING_YAML }] },
  'POST /api/v1/codes/validate':                        { as: 'operator', valid: [{ yaml: () => GREEN_HOSTING_YAML }] },
  'POST /api/v1/codes/:code/accreditations':            { as: 'operator', valid: [json((s) => ({ organization: s.secondBody.slug, validFrom: day(-1), validUntil: day(365) }))] },
  'POST /api/v1/codes/:code/accreditations/:id/end':    { as: 'operator', valid: [json(() => ({ reason: 'Probe: ending' }))] },
  'POST /api/v1/codes/:code/versions/:version/publish': { as: 'operator', valid: [json()] },
  'POST /api/v1/codes/:code/versions/:version/retire':  { as: 'operator', valid: [json()] },
  'POST /operator/codes/check':                         { as: 'operator', valid: [form(() => ({ source: GREEN_HOSTING_YAML })), { multipart: () => ({ fields: {}, file: textFile('code.yaml', GREEN_HOSTING_YAML, 'application/yaml') }) }] },
  'POST /operator/codes/import':                        { as: 'operator', valid: [form(() => ({ source: GREEN_HOSTING_YAML })), { multipart: () => ({ fields: {}, file: textFile('code.yaml', GREEN_HOSTING_YAML, 'application/yaml') }) }] },
  'POST /operator/codes/:code/versions/:version/publish': { as: 'operator', valid: [form()] },
  'POST /operator/codes/:code/versions/:version/retire': { as: 'operator', valid: [form()] },
  'POST /operator/codes/:code/accreditations':          { as: 'operator', valid: [form((s) => ({ organization: s.secondBody.slug, validFrom: day(-1), validUntil: day(365) }))] },
  'POST /operator/codes/:code/accreditations/:id/end':  { as: 'operator', valid: [form(() => ({ reason: 'Probe: ending' }))] },
  'GET /operator/notifications':                        { as: 'operator', valid: [query(['status'])] },

  // ── the operator: known-hash screening (the incident is the walk-in organization's) ──
  'POST /api/v1/operator/hash-lists':                   { as: 'operator', valid: [{ multipart: () => ({ fields: { name: 'fuzz-list' }, file: textFile('list.txt', `${'a'.repeat(64)}\n`) }) }] },
  'DELETE /api/v1/operator/hash-lists/:id':             { as: 'operator', valid: [json()] },
  'GET /api/v1/operator/upload-incidents':              { as: 'operator', valid: [query(['state'])] },
  'POST /api/v1/operator/upload-incidents/:id/resolve': { as: 'operator', valid: [json((s) => ({ note: 'Probe: resolved', version: s.incident.version }))] },
  'POST /operator/screening/hash-lists':                { as: 'operator', valid: [form(() => ({ name: 'fuzz-page-list', text: `${'b'.repeat(64)}\n` })), { multipart: () => ({ fields: { name: 'fuzz-page-list' }, file: textFile('list.txt', `${'b'.repeat(64)}\n`) }) }] },
  'POST /operator/screening/hash-lists/:id/delete':     { as: 'operator', valid: [form()] },
  'POST /operator/screening/incidents/:id/resolve':     { as: 'operator', valid: [form((s) => ({ note: 'Probe: resolved', version: String(s.incident.version) }))] },
  'GET /api/v1/admin/sso-domains':                      { as: 'operator', valid: [query(['status'])] },
  'POST /api/v1/admin/sso-domains/:domain/confirm':     { as: 'operator', valid: [json()] },
  'POST /api/v1/admin/sso-domains/:domain/reject':      { as: 'operator', valid: [json()] },
  'POST /app/admin/sso-domains/:domain/confirm':        { as: 'operator', valid: [form()] },
  'POST /app/admin/sso-domains/:domain/reject':         { as: 'operator', valid: [form()] },

  // ── the operator: administration (:id is a person, or an organization, of their own) ──
  'GET /api/v1/admin/users':                            { as: 'operator', valid: [query(['q', 'limit', 'offset'])] },
  'GET /api/v1/admin/organizations':                    { as: 'operator', valid: [query(['q', 'limit', 'offset'])] },
  'GET /api/v1/admin/audit':                            { as: 'operator', valid: [query(['limit', 'before'])] },
  'GET /app/admin/users':                               { as: 'operator', valid: [query(['q', 'limit', 'offset'])] },
  'GET /app/admin/organizations':                       { as: 'operator', valid: [query(['q', 'limit', 'offset'])] },
  'GET /app/admin/audit':                               { as: 'operator', valid: [query(['limit', 'before'])] },
  'POST /api/v1/admin/users/:id/suspend':               { as: 'operator', valid: [json(() => ({ reason: 'Probe: suspending' }))] },
  'POST /api/v1/admin/users/:id/reactivate':            { as: 'operator', valid: [json()] },
  'POST /api/v1/admin/users/:id/unlock':                { as: 'operator', valid: [json()] },
  'POST /api/v1/admin/users/:id/password-reset':        { as: 'operator', valid: [json()] },
  'POST /api/v1/admin/organizations/:id/suspend':       { as: 'operator', valid: [json(() => ({ reason: 'Probe: suspending' }))] },
  'POST /api/v1/admin/organizations/:id/reactivate':    { as: 'operator', valid: [json()] },
  'POST /app/admin/users/:id/suspend':                  { as: 'operator', valid: [form(() => ({ reason: 'Probe: suspending' }))] },
  'POST /app/admin/users/:id/reactivate':               { as: 'operator', valid: [form()] },
  'POST /app/admin/users/:id/unlock':                   { as: 'operator', valid: [form()] },
  'POST /app/admin/users/:id/password-reset':           { as: 'operator', valid: [form()] },
  'POST /app/admin/organizations/:id/suspend':          { as: 'operator', valid: [form(() => ({ reason: 'Probe: suspending' }))] },
  'POST /app/admin/organizations/:id/reactivate':       { as: 'operator', valid: [form()] },

  // ── signed in ──
  'POST /api/v1/orgs':                                  { as: 'owner', valid: [json(() => ({ name: 'Probe Founded', kind: 'provider' }))] },
  'POST /organizations':                                { as: 'owner', valid: [form(() => ({ name: 'Probe Founded', kind: 'provider' }))] },

  // ── the provider's organization, API ──
  'PATCH /api/v1/orgs/:org':                            { as: 'owner', valid: [json((s) => ({ name: 'Probe Rename', country: 'FR', website: 'https://probe.example', requireMfa: false, version: s.organizationVersion }))] },
  'GET /api/v1/orgs/:org/audit':                        { as: 'owner', valid: [query(['limit', 'before'])] },
  'PATCH /api/v1/orgs/:org/members/:membershipId':      { as: 'owner', valid: [json((s) => ({ role: 'viewer', version: s.editor.version }))] },
  'DELETE /api/v1/orgs/:org/members/:membershipId':     { as: 'owner', valid: [json()] },
  'POST /api/v1/orgs/:org/invitations':                 { as: 'owner', valid: [json(() => ({ email: 'probe-invitee@example.org', role: 'viewer' }))] },
  'DELETE /api/v1/orgs/:org/invitations/:invitationId': { as: 'owner', valid: [json()] },
  'POST /api/v1/orgs/:org/services':                    { as: 'owner', valid: [json(() => ({ name: 'Probe service', description: 'Probe', url: 'https://probe.example', profile: { directed_at_children: false } }))] },
  'PATCH /api/v1/orgs/:org/services/:id':               { as: 'owner', valid: [json((s) => ({ name: 'Probe rename', profile: { eu_users: true }, version: s.service.version }))] },
  'DELETE /api/v1/orgs/:org/services/:id':              { as: 'owner', valid: [json()] },
  'GET /api/v1/orgs/:org/services/:id/applicability':   { as: 'owner', valid: [query(['code', 'version'], () => ({ code: CODE }))] },
  'POST /api/v1/orgs/:org/tokens':                      { as: 'owner', valid: [json(() => ({ name: 'Probe token', scopes: ['read'], expiresAt: `${day(30)}T00:00:00Z` }))] },
  'DELETE /api/v1/orgs/:org/tokens/:id':                { as: 'owner', valid: [json()] },
  'GET /api/v1/orgs/:org/evidence':                     { as: 'owner', valid: [query(['q', 'kind'])] },
  'POST /api/v1/orgs/:org/evidence':                    { as: 'owner', valid: [json(() => ({ kind: 'link', title: 'Probe link', url: 'https://probe.example/evidence' })), { multipart: fileUpload }] },
  'PATCH /api/v1/orgs/:org/evidence/:id':               { as: 'owner', valid: [json((s) => ({ title: 'Probe rename', confidentiality: 'public', version: s.evidence.version }))] },
  'POST /api/v1/orgs/:org/evidence/:id/revisions':      { as: 'owner', valid: [{ multipart: revisionUpload }, json(() => ({ text: 'Probe revision' }))] },
  'GET /api/v1/orgs/:org/assessments':                  { as: 'owner', valid: [query(['state', 'service', 'code'])] },
  'POST /api/v1/orgs/:org/assessments':                 { as: 'owner', valid: [json((s) => ({ serviceId: s.unassessedServiceId, code: CODE, version: VERSION, monitoringBody: s.team.monitor.organization.slug, targetLevel: 1 }))] },
  'PUT /api/v1/orgs/:org/assessments/:id/answers/:requirementKey': { as: 'owner', valid: [json(probeAnswer)] },
  'PUT /api/v1/orgs/:org/assessments/:id/answers':      { as: 'owner', valid: [json((s) => ({ answers: [{ requirementKey: s.draft.requirementKey, ...probeAnswer(s) }] }))] },
  'POST /api/v1/orgs/:org/assessments/:id/submit':      { as: 'owner', valid: [json(() => ({ signatory: { name: 'Probe Signatory', title: 'Director', confirm: true } }))] },
  'POST /api/v1/orgs/:org/assessments/:id/withdraw':    { as: 'owner', valid: [json()] },
  'POST /api/v1/orgs/:org/assessments/:id/import':      { as: 'owner', valid: [{ csv: answersCsv }] },

  // ── the provider's organization, pages ──
  'POST /app/:org/members/:membershipId/role':          { as: 'owner', valid: [form((s) => ({ role: 'viewer', version: String(s.editor.version) }))] },
  'POST /app/:org/members/:membershipId/remove':        { as: 'owner', valid: [form()] },
  'POST /app/:org/invitations':                         { as: 'owner', valid: [form(() => ({ email: 'probe-invitee@example.org', role: 'viewer' }))] },
  'POST /app/:org/invitations/:invitationId/revoke':    { as: 'owner', valid: [form()] },
  'POST /app/:org/services':                            { as: 'owner', valid: [form(() => ({ name: 'Probe service', url: 'https://probe.example', 'profile[directed_at_children]': 'false' }))] },
  'GET /app/:org/services/:id':                         { as: 'owner', valid: [query(['code', 'version'])] },
  'POST /app/:org/services/:id':                        { as: 'owner', valid: [form((s) => ({ name: 'Probe rename', version: String(s.service.version), 'profile[directed_at_children]': 'false' }))] },
  'POST /app/:org/services/:id/delete':                 { as: 'owner', valid: [form()] },
  'POST /app/:org/settings':                            { as: 'owner', valid: [form((s) => ({ name: 'Probe Rename', country: 'FR', version: String(s.organizationVersion) }))] },
  // Single sign-on: the issuer is a closed loopback port, so discovery fails at once and nothing is stored.
  'PUT /api/v1/orgs/:org/sso':                          { as: 'owner', valid: [json(() => ({ issuer: 'http://127.0.0.1:9', clientId: 'probe', clientSecret: 'probe-secret', domains: ['probe.example'], defaultRole: 'viewer', ssoOnly: false }))] },
  'DELETE /api/v1/orgs/:org/sso':                       { as: 'owner', valid: [json()] },
  'POST /app/:org/settings/sso':                        { as: 'owner', valid: [form(() => ({ issuer: 'http://127.0.0.1:9', clientId: 'probe', clientSecret: 'probe-secret', domains: 'probe.example', defaultRole: 'viewer', ssoOnly: 'true' }))] },
  'POST /app/:org/settings/sso/delete':                 { as: 'owner', valid: [form()] },
  'POST /app/:org/tokens':                              { as: 'owner', valid: [form(() => ({ name: 'Probe token', scopes: 'read' }))] },
  'POST /app/:org/tokens/:id/revoke':                   { as: 'owner', valid: [form()] },
  'GET /app/:org/audit':                                { as: 'owner', valid: [query(['limit', 'before'])] },
  'GET /app/:org/evidence':                             { as: 'owner', valid: [query(['q', 'kind'])] },
  'POST /app/:org/evidence':                            { as: 'owner', valid: [form(() => ({ kind: 'link', title: 'Probe link', url: 'https://probe.example/evidence' })), { multipart: fileUpload }] },
  'POST /app/:org/evidence/:id':                        { as: 'owner', valid: [form((s) => ({ title: 'Probe rename', version: String(s.evidence.version) }))] },
  'POST /app/:org/evidence/:id/revisions':              { as: 'owner', valid: [{ multipart: revisionUpload }] },
  'GET /app/:org/assessments/new':                      { as: 'owner', valid: [query(['serviceId', 'code', 'version', 'monitoringBody', 'targetLevel', 'copyFrom'])] },
  'POST /app/:org/assessments':                         { as: 'owner', valid: [form((s) => ({ code: CODE, version: VERSION, serviceId: s.unassessedServiceId, monitoringBody: s.team.monitor.organization.slug, targetLevel: '1' }))] },
  'GET /app/:org/assessments/:id':                      { as: 'owner', valid: [query(['section', 'only'])] },
  'POST /app/:org/assessments/:id/sections/:section':   { as: 'owner', valid: [form(sectionForm)] },
  'POST /app/:org/assessments/:id/submit':              { as: 'owner', valid: [form(() => ({ 'signatory[name]': 'Probe Signatory', 'signatory[title]': 'Director', 'signatory[confirm]': 'true' }))] },
  'POST /app/:org/assessments/:id/withdraw':            { as: 'owner', valid: [form()] },
  'POST /app/:org/assessments/:id/import':              { as: 'owner', valid: [{ multipart: (s) => ({ fields: {}, file: textFile('answers.csv', answersCsv(s), 'text/csv') }) }] },

  // ── the monitoring body: reviews (of the provider's assessment in review), verifications (of its verified one), reports, complaints ──
  'GET /api/v1/orgs/:org/reviews':                      { as: 'admin', valid: [query(['state', 'code', 'level', 'mine', 'sort', 'order'])] },
  'POST /api/v1/orgs/:org/reviews/:id/assign':          { as: 'admin', valid: [json(assignment)] },
  'POST /api/v1/orgs/:org/reviews/:id/declaration':     { as: 'admin', valid: [json(() => ({ conflict: false, statement: 'No interest in this provider.' }))] },
  'PUT /api/v1/orgs/:org/reviews/:id/findings/:requirementKey': { as: 'lead', valid: [json(() => ({ verdict: 'changes_requested', comment: 'Explain more.', internalNote: 'Probe' }))] },
  'PUT /api/v1/orgs/:org/reviews/:id/sections/:sectionKey/summary': { as: 'lead', valid: [json(() => ({ publicSummary: 'Probe summary' }))] },
  'POST /api/v1/orgs/:org/reviews/:id/request-changes': { as: 'lead', valid: [json()] },
  'POST /api/v1/orgs/:org/reviews/:id/decision':        { as: 'lead', valid: [json(() => ({ outcome: 'rejected', publicSummary: 'Probe decision' }))] },
  'POST /api/v1/orgs/:org/reviews/:id/decision/approve': { as: 'second', valid: [json()] },
  'POST /api/v1/orgs/:org/reviews/:id/decision/return': { as: 'second', valid: [json(() => ({ reason: 'Probe return' }))] },
  'POST /api/v1/orgs/:org/reviews/:id/suspend':         { as: 'admin', valid: [json(() => ({ reason: 'Probe suspension' }))] },
  'POST /api/v1/orgs/:org/reviews/:id/reinstate':       { as: 'admin', valid: [json()] },
  'POST /api/v1/orgs/:org/reviews/:id/revoke':          { as: 'admin', valid: [json(() => ({ reason: 'Probe revocation' }))] },
  'GET /api/v1/orgs/:org/reports':                      { as: 'admin', valid: [query(['from', 'to'])] },
  'GET /api/v1/orgs/:org/reports.csv':                  { as: 'admin', valid: [query(['from', 'to'])] },
  'GET /api/v1/orgs/:org/complaints':                   { as: 'admin', valid: [query(['status'])] },
  'POST /api/v1/orgs/:org/complaints/:id/status':       { as: 'admin', valid: [json((s) => ({ status: 'investigating', version: s.complaint.version }))] },
  'GET /app/:org/reviews':                              { as: 'admin', valid: [query(['state', 'code', 'level', 'mine', 'sort', 'order'])] },
  'GET /app/:org/reviews/:id':                          { as: 'admin', valid: [query(['section'])] },
  'POST /app/:org/reviews/:id/assign':                  { as: 'admin', valid: [form((s) => Object.fromEntries(Object.entries(assignment(s)).map(([name, value]) => [name, String(value)])))] },
  'POST /app/:org/reviews/:id/declaration':             { as: 'admin', valid: [form(() => ({ conflict: 'false', statement: 'No interest in this provider.' }))] },
  'POST /app/:org/reviews/:id/findings/:requirementKey': { as: 'lead', valid: [form(() => ({ verdict: 'changes_requested', comment: 'Explain more.' }))] },
  'POST /app/:org/reviews/:id/sections/:sectionKey/summary': { as: 'lead', valid: [form(() => ({ publicSummary: 'Probe summary' }))] },
  'POST /app/:org/reviews/:id/request-changes':         { as: 'lead', valid: [form()] },
  'POST /app/:org/reviews/:id/decision':                { as: 'lead', valid: [form(() => ({ outcome: 'rejected', publicSummary: 'Probe decision' }))] },
  'POST /app/:org/reviews/:id/decision/approve':        { as: 'second', valid: [form()] },
  'POST /app/:org/reviews/:id/decision/return':         { as: 'second', valid: [form(() => ({ reason: 'Probe return' }))] },
  'POST /app/:org/reviews/:id/suspend':                 { as: 'admin', valid: [form(() => ({ reason: 'Probe suspension' }))] },
  'POST /app/:org/reviews/:id/reinstate':               { as: 'admin', valid: [form()] },
  'POST /app/:org/reviews/:id/revoke':                  { as: 'admin', valid: [form(() => ({ reason: 'Probe revocation' }))] },
  'GET /app/:org/reports':                              { as: 'admin', valid: [query(['from', 'to'])] },
  'GET /app/:org/complaints':                           { as: 'admin', valid: [query(['status'])] },
  'POST /app/:org/complaints/:id/status':               { as: 'admin', valid: [form((s) => ({ status: 'investigating', version: String(s.complaint.version) }))] },

  // ── invitations, setup, sessions and passwords ──
  'POST /api/v1/invitations/:token/accept':             { as: 'newVisitor', valid: [json(() => ({ name: 'Probe Newcomer', password: PASSWORD }))] },
  'POST /invitations/:token':                           { as: 'newVisitor', valid: [form(() => ({ name: 'Probe Newcomer', password: PASSWORD }))] },
  'POST /setup/:token':                                 { as: 'newVisitor', valid: [form(() => ({ email: 'probe-operator@example.org', name: 'Probe Operator', password: PASSWORD }))] },
  'GET /signin':                                        { as: 'newVisitor', valid: [query(['next'])] },
  'GET /signin/sso':                                    { as: 'newVisitor', valid: [query(['email'])] },
  'GET /auth/sso/start':                                { as: 'newVisitor', valid: [query(['email'], () => ({ email: 'probe@nowhere.example' }))] },
  'POST /api/v1/auth/sso/discover':                     { as: 'visitor', valid: [json(() => ({ email: 'probe@nowhere.example' }))] },
  'POST /api/v1/auth/password-reset':                   { as: 'visitor', valid: [json((s) => ({ email: s.forgetful.email }))] },
  'POST /forgot-password':                              { as: 'visitor', valid: [form((s) => ({ email: s.forgetful.email }))] },
  'POST /api/v1/auth/password-reset/:token':            { as: 'newVisitor', valid: [json(() => ({ password: `${PASSWORD} reset` }))] },
  'POST /reset-password/:token':                        { as: 'newVisitor', valid: [form(() => ({ password: `${PASSWORD} reset`, confirmation: `${PASSWORD} reset` }))] },
  'POST /api/v1/auth/signup':                           { as: 'newVisitor', valid: [json(() => ({ email: 'probe-signup@example.org', password: PASSWORD, name: 'Probe Person', organization: { name: 'Probe Signed Up', kind: 'provider' } }))] },
  'POST /signup':                                       { as: 'newVisitor', valid: [form(() => ({ email: 'probe-signup@example.org', password: PASSWORD, name: 'Probe Person', 'organization[name]': 'Probe Signed Up', 'organization[kind]': 'provider' }))] },
  'POST /api/v1/auth/login':                            { as: 'newVisitor', valid: [json((s) => ({ email: s.walkIn.email, password: PASSWORD }))] },
  'POST /signin':                                       { as: 'newVisitor', valid: [form((s) => ({ email: s.walkIn.email, password: PASSWORD }))] },
  'PUT /api/v1/auth/password':                          { as: 'newSession', valid: [json(() => ({ currentPassword: PASSWORD, newPassword: `${PASSWORD} renewed` }))] },
  'POST /account/password':                             { as: 'newSession', valid: [form(() => ({ currentPassword: PASSWORD, newPassword: `${PASSWORD} renewed` }))] },
  'POST /api/v1/auth/passkeys/registration-options':   { as: 'owner', valid: [json()] },
  'POST /api/v1/auth/passkeys':                         { as: 'owner', valid: [json(() => ({ name: 'Probe key', response: UNSIGNED_REGISTRATION }))] },
  'DELETE /api/v1/auth/passkeys/:id':                   { as: 'owner', valid: [json(() => ({ password: PASSWORD, response: UNSIGNED_ASSERTION }))] },
  'POST /api/v1/auth/step-up/passkey/options':          { as: 'owner', valid: [json()] },
  'POST /api/v1/auth/step-up/passkey':                  { as: 'owner', valid: [json(() => ({ response: UNSIGNED_ASSERTION }))] },
  'POST /api/v1/auth/login/passkey/options':            { as: 'visitor', valid: [json()] },
  'POST /api/v1/auth/login/passkey':                    { as: 'newVisitor', valid: [json(() => ({ response: UNSIGNED_ASSERTION }))] },
  'POST /api/v1/auth/verify-email/:token':             { as: 'newVisitor', valid: [json()] },
  'POST /verify-email/:token':                          { as: 'newVisitor', valid: [form()] },
  'POST /api/v1/auth/verify-email':                     { as: 'newSession', valid: [json()] },
  'POST /account/verify-email':                         { as: 'newSession', valid: [form()] },
  'PUT /api/v1/auth/email':                             { as: 'newSession', valid: [json(() => ({ email: 'probe-moving@example.org', password: PASSWORD }))] },
  'POST /account/email':                                { as: 'newSession', valid: [form(() => ({ email: 'probe-moving@example.org', password: PASSWORD }))] },
  'POST /api/v1/auth/logout':                           { as: 'newSession', valid: [json()] },
  'POST /signout':                                      { as: 'newSession', valid: [form()] },
  'POST /api/v1/auth/sessions/end-others':              { as: 'newSession', valid: [json()] },
  'POST /account/sessions/end-others':                  { as: 'newSession', valid: [form()] },
  // :id stands for no session of the person's: ending it is a 404 however it is sent.
  'DELETE /api/v1/auth/sessions/:id':                   { as: 'newSession', valid: [json()] },
  'POST /account/sessions/:id/end':                     { as: 'newSession', valid: [form()] },
  'GET /signin/mfa':                                    { as: 'newVisitor', valid: [query(['next'])] },
  'POST /signin/mfa':                                   { as: 'newVisitor', valid: [form(() => ({ code: '123456', next: '/account' }))] },
  'POST /api/v1/auth/login/mfa':                        { as: 'newVisitor', valid: [json(() => ({ code: '123456' }))] },
  'POST /api/v1/auth/mfa/totp':                         { as: 'newSession', valid: [json()] },
  'POST /account/mfa/totp':                             { as: 'newSession', valid: [form()] },
  'POST /api/v1/auth/mfa/totp/confirm':                 { as: 'newSession', valid: [json(() => ({ code: '123456' }))] },
  'POST /account/mfa/totp/confirm':                     { as: 'newSession', valid: [form(() => ({ code: '123456' }))] },
  'DELETE /api/v1/auth/mfa/totp':                       { as: 'newSession', valid: [json(() => ({ password: PASSWORD, code: '123456' }))] },
  'POST /account/mfa/totp/remove':                      { as: 'newSession', valid: [form(() => ({ password: PASSWORD, code: '123456' }))] },
  'POST /api/v1/auth/mfa/recovery-codes':               { as: 'newSession', valid: [json(() => ({ code: '123456' }))] },
  'POST /account/mfa/recovery-codes':                   { as: 'newSession', valid: [form(() => ({ code: '123456' }))] },
  'POST /api/v1/auth/step-up':                          { as: 'newSession', valid: [json(() => ({ code: '123456' }))] },
};

// ─── The seeded world ────────────────────────────────────────────────────────────────────────────────

interface Seed {
  provider: Actor;
  organizationVersion: number;
  team: Team;
  operator: { agent: TestAgent; csrf: string };
  visitor: { agent: TestAgent; csrf: string };
  /** A person of their own, for the routes that sign in, sign out or change a password. */
  walkIn: { email: string; passwordHash: string };
  secondBody: { slug: string; accreditationId: string };
  editor: { membershipId: string; version: number };
  invitationId: string;
  invitationToken: string;
  tokenId: string;
  /** The provider's owner's passkey. */
  passkeyId: string;
  service: { id: string; version: number };
  /** A service of its own for the delete routes, so that the other routes keep theirs. */
  deletableServiceId: string;
  unassessedServiceId: string;
  /** A file evidence of the provider's. */
  evidence: { id: string; version: number };
  /** The provider's draft assessment: its first answer. */
  draft: { id: string; requirementKey: string; section: string; answerVersion: number };
  /** A draft of its own for the withdraw routes. */
  withdrawableId: string;
  /** The provider's assessment in review at the monitoring body, with both reviewers declared. */
  inReview: { id: string; requirementKey: string; sectionKey: string };
  /** The provider's verified assessment, its register entry and an attestation of it. */
  verified: { id: string; entryId: string };
  attestation: string;
  complaint: { id: string; reference: string; secret: string; version: number };
  setupToken: string;
  /** A person and an organization of their own, for the operator to suspend, help and reactivate. */
  suspendable: { userId: string; organizationId: string };
  /** A person of their own who asked for a password reset and to confirm addresses, with live links of theirs. */
  forgetful: { email: string; resetToken: string; verificationTokens: { api: string; page: string } };
  /** A hash list the operator loaded, and an open upload incident of the walk-in organization. */
  hashListId: string;
  incident: { id: string; version: number };
}

async function seed(t: TestApp): Promise<Seed> {
  const provider = await t.signUp({ organization: 'Fuzzed Provider' });
  const owner = asCaller(provider);
  const slug = provider.organization.slug;
  const team = await monitoringBody(t, 'Fuzzing Monitor');
  const verified = await verifiedAssessment(t, provider, team);
  const inReview = await submittedAssessment(t, provider, team.monitor);
  await openReview(t, team, inReview.assessment.id);
  const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
  await operator.agent.post('/api/v1/codes').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(GREEN_HOSTING_YAML).expect(201);

  const secondBody = await t.signUp({ organization: 'Second Monitor', kind: 'monitoring_body' });
  await accredit(t, secondBody);
  const [accreditation] = await t.sql<{ id: string }>('SELECT id FROM accreditations WHERE organization_id = $1', [secondBody.organization.id]);

  const editor = await t.addMember(provider, 'editor');
  const [membership] = await t.sql<{ version: number }>('SELECT version FROM memberships WHERE id = $1', [editor.membershipId]);
  const invitation = await call(t, owner, 'post', `${orgPath(slug)}/invitations`).send({ email: 'pending@example.org', role: 'viewer' }).expect(201);
  const toAccept = await call(t, owner, 'post', `${orgPath(slug)}/invitations`).send({ email: 'newcomer@example.org', role: 'viewer' }).expect(201);
  const token = await call(t, owner, 'post', `${orgPath(slug)}/tokens`).send({ name: 'To revoke', scopes: ['read'] }).expect(201);
  const passkeyOptions = await call(t, owner, 'post', '/api/v1/auth/passkeys/registration-options').expect(200);
  const authenticator = new SoftwareAuthenticator(t.app.get(AppConfig).publicOrigin);
  const passkey = await call(t, owner, 'post', '/api/v1/auth/passkeys').send({ name: 'Owner’s laptop', response: authenticator.create(passkeyOptions.body) }).expect(201);

  const service = await createService(t, owner, slug, NOT_CHILD_DIRECTED, 'Probed service');
  const deletable = await createService(t, owner, slug, NOT_CHILD_DIRECTED, 'Deletable service');
  const unassessed = await createService(t, owner, slug, NOT_CHILD_DIRECTED, 'Unassessed service');
  const evidence = await uploadFile(t, owner, slug, Buffer.from('Policy text\n'), 'policy.txt');
  const draft = await startAssessment(t, owner, slug, { serviceId: service.id, monitoringBody: team.monitor.organization.slug });
  const withdrawable = await startAssessment(t, owner, slug, { serviceId: (await createService(t, owner, slug, NOT_CHILD_DIRECTED, 'Withdrawn service')).id, monitoringBody: team.monitor.organization.slug });
  const attestation = await request(t.server).get(`/api/v1/register/${verified.entry.id}/attestation`).set('Accept', 'application/json').expect(200);
  const filed = await fileComplaint(t, verified.entry.id);
  const complaint = await complaintId(t, filed.reference);
  const [complaintRow] = await t.sql<{ version: number }>('SELECT version FROM complaints WHERE id = $1', [complaint]);

  const walkIn = await t.signUp({ organization: 'Walk In' });
  const [walkInRow] = await t.sql<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [walkIn.user.id]);
  const setup = newSecretToken();
  await t.sql(`INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + interval '1 day')`, [setup.hash]);
  const forgetful = await t.signUp({ organization: 'Forgetful' });
  const suspendable = await t.signUp({ organization: 'Suspendable' });
  const reset = newSecretToken();
  await t.sql(`INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '30 minutes')`, [forgetful.user.id, reset.hash]);
  // Two links, of two people (using one spends the other links for its address): one for the API's route, one for the page's.
  const verifications = [newSecretToken(), newSecretToken()];
  for (const [index, person] of [forgetful, walkIn].entries()) {
    await t.sql(`INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')`, [person.user.id, person.user.email, verifications[index].hash]);
  }
  const visitor = request.agent(t.server);
  const signInPage = await visitor.get('/signin').expect(200);
  const list = await operator.agent.post('/api/v1/operator/hash-lists?name=seeded').set('X-CSRF-Token', operator.csrf).set('Content-Type', 'text/plain').send(`${'c'.repeat(64)}\n`).expect(201);
  const [incident] = await t.sql<{ id: string; version: number }>(
    `INSERT INTO upload_incidents (organization_id, user_id, list_name, algorithm, digest) VALUES ($1, $2, 'seeded', 'sha256', $3) RETURNING id, version`,
    [walkIn.organization.id, walkIn.user.id, 'c'.repeat(64)],
  );

  return {
    provider,
    suspendable: { userId: suspendable.user.id, organizationId: suspendable.organization.id },
    organizationVersion: 1,
    team,
    operator,
    visitor: { agent: visitor, csrf: csrfFrom(signInPage.text) },
    walkIn: { email: walkIn.user.email, passwordHash: walkInRow.password_hash },
    secondBody: { slug: secondBody.organization.slug, accreditationId: accreditation.id },
    editor: { membershipId: editor.membershipId, version: membership.version },
    invitationId: invitation.body.id,
    invitationToken: toAccept.body.token,
    tokenId: token.body.id,
    passkeyId: passkey.body.id,
    service: { id: service.id, version: 1 },
    deletableServiceId: deletable.id,
    unassessedServiceId: unassessed.id,
    evidence: { id: evidence.id, version: evidence.version },
    draft: { id: draft.id, requirementKey: draft.answers[0].requirementKey, section: draft.answers[0].section, answerVersion: draft.answers[0].version },
    withdrawableId: withdrawable.id,
    inReview: { id: inReview.assessment.id, requirementKey: inReview.assessment.answers[0].requirementKey, sectionKey: inReview.assessment.answers[0].section },
    verified: { id: verified.assessment.id, entryId: verified.entry.id },
    attestation: attestation.body.attestation,
    complaint: { id: complaint, reference: filed.reference, secret: filed.secret, version: complaintRow.version },
    setupToken: setup.token,
    forgetful: { email: forgetful.user.email, resetToken: reset.token, verificationTokens: { api: verifications[0].token, page: verifications[1].token } },
    hashListId: list.body.id,
    incident: { id: incident.id, version: incident.version },
  };
}

const MONITORING_BODY_ROUTE = /^\/(api\/v1\/orgs|app)\/:org\/(reviews|reports|complaints)/;
const VERIFICATION_ACTS = /\/reviews\/:id\/(suspend|reinstate|revoke)$/;

function paramFor(path: string, name: string, s: Seed): string {
  const mb = MONITORING_BODY_ROUTE.test(path);
  const values: Record<string, () => string | undefined> = {
    org: () => (mb ? s.team.monitor.organization.slug : s.provider.organization.slug),
    // The operator's version acts publish and retire the draft code, never the one everybody uses.
    code: () => (/\/versions\/:version\/(publish|retire)$/.test(path) ? 'green-hosting' : CODE),
    version: () => VERSION,
    membershipId: () => s.editor.membershipId,
    invitationId: () => s.invitationId,
    requirementKey: () => (mb ? s.inReview.requirementKey : s.draft.requirementKey),
    sectionKey: () => s.inReview.sectionKey,
    section: () => s.draft.section,
    // No organization claims it: deciding it is refused (404), which is what the fuzz may reach.
    domain: () => 'probe.example',
    token: () => {
      if (path.startsWith('/setup/')) return s.setupToken;
      if (/reset-password|password-reset/.test(path)) return s.forgetful.resetToken;
      if (path.includes('verify-email/')) return path.startsWith('/api/') ? s.forgetful.verificationTokens.api : s.forgetful.verificationTokens.page;
      return s.invitationToken;
    },
    id: () => {
      if (path.includes('/hash-lists/:id')) return s.hashListId;
      if (path.includes('/admin/users/:id')) return s.suspendable.userId;
      if (path.includes('/admin/organizations/:id')) return s.suspendable.organizationId;
      if (path.includes('/sessions/:id')) return 'a'.repeat(32);
      if (path.includes('incidents/:id')) return s.incident.id;
      if (path.includes('/complaints/:id')) return s.complaint.id;
      if (path.startsWith('/api/v1/register/:id') || path.startsWith('/register/:id')) return s.verified.entryId;
      if (path.includes('/accreditations/:id')) return s.secondBody.accreditationId;
      if (path.includes('/services/:id')) return s.service.id;
      if (path.includes('/evidence/:id')) return s.evidence.id;
      if (path.includes('/tokens/:id')) return s.tokenId;
      if (path.includes('/passkeys/:id')) return s.passkeyId;
      if (VERIFICATION_ACTS.test(path)) return s.verified.id;
      if (path.includes('/reviews/:id')) return s.inReview.id;
      if (path.endsWith('/withdraw')) return s.withdrawableId;
      if (path.includes('/assessments/:id')) return s.draft.id;
      return undefined;
    },
  };
  const value = values[name]?.();
  if (value === undefined) throw new Error(`${path}: no seeded value for :${name}; extend paramFor() in test/input-fuzz.e2e-spec.ts`);
  return value;
}

function urlOf(key: string, s: Seed): string {
  const [method, path] = key.split(' ');
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    // Deleting takes a service of its own, so that the other service routes keep theirs.
    if (name === 'id' && path.includes('/services/:id') && (method === 'DELETE' || path.endsWith('/delete'))) return s.deletableServiceId;
    return encodeURIComponent(paramFor(path, name, s));
  });
}

// ─── Breaking a valid request ────────────────────────────────────────────────────────────────────────

/** One request as it goes out. */
interface Outgoing {
  contentType?: string;
  body?: string | Buffer;
  /** Raw, without the `?`. */
  query?: string;
}

/**
 * What was broken (fast-check prints the label of a failing run), and the request for the caller's form
 * token, when it has one; the arbitraries generate these.
 */
type Probe = { label: string; build: (csrf: string | undefined) => Outgoing };

const probe = (label: unknown, build: Probe['build']): Probe => {
  const described = typeof label === 'string' ? label : abbreviated(label);
  return Object.assign({ label: described, build }, { [fc.toStringMethod]: () => described });
};

const SLOT = 'RAW_JSON_SLOT_9c1e';
const UNKNOWN_NAMES = fc.oneof(fc.constantFrom('extra', '', ' ', 'a.b', '$where', 'nul\u0000key', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'), hostileText);
const MALFORMED_JSON = ['{', '{"a":}', "{'a':1}", '{"a":1}}', 'NaN', '{"a":1,}', '\uFEFF{}', '{"a":"\\uD800"}', '{"a":"\\u0000"}', '"unterminated', '{"a":1e999999}'];
/** An object that cannot become text or a number: converting it throws instead of failing validation. */
const UNCONVERTIBLE = { toString: 0, valueOf: 0 };
const DEEP = (depth: number) => `{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
const WRONG_JSON_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/json; charset=utf-16', 'application/json; charset=koi8-r', 'multipart/form-data'];

function jsonProbes(valid: Record<string, unknown>): Array<fc.Arbitrary<Probe>> {
  const fields = Object.keys(valid);
  const field = fc.constantFrom(...(fields.length ? fields : ['name']));
  const text = (body: Record<string, unknown>) => JSON.stringify(body);
  const out = (label: unknown, body: string, contentType = 'application/json') => probe(label, () => ({ contentType, body }));
  return [
    fc.tuple(field, hostileValue).map(([name, value]) => out({ replace: name, value }, text({ ...valid, [name]: value }))),
    field.map((name) => out({ drop: name }, text(Object.fromEntries(Object.entries(valid).filter(([key]) => key !== name))))),
    fc.tuple(UNKNOWN_NAMES, hostileValue).map(([name, value]) => out({ unknown: name, value }, text({ ...valid, [name]: value }))),
    fc.tuple(fc.constantFrom(...POLLUTING_JSON_MEMBERS), fc.option(field)).map(([member, inside]) =>
      out({ pollute: member, inside }, inside === null ? withRawMember(text(valid), member) : text({ ...valid, [inside]: SLOT }).replace(`"${SLOT}"`, `{${member}}`)),
    ),
    fc.oneof(fc.constantFrom(...MALFORMED_JSON), fc.nat().map((cut) => text(valid).slice(0, cut % Math.max(1, text(valid).length)))).map((body) => out({ malformed: body }, body)),
    fc.constantFrom('[]', '"text"', '42', 'null', 'true', '[{}]', '[[]]').map((body) => out({ notAnObject: body }, body)),
    fc.constantFrom(...WRONG_JSON_TYPES).map((type) => out({ contentType: type }, text(valid), type)),
    field.map((name) => out({ megabyte: name }, text({ ...valid, [name]: MEGABYTE_TEXT }))),
    fc.constant(out({ everyFieldUnconvertible: UNCONVERTIBLE }, text({ ...valid, ...Object.fromEntries(fields.map((name) => [name, UNCONVERTIBLE])) }))),
    fc.constantFrom(1_000, 20_000).map((depth) => out({ nestedArraysDeep: depth }, withRawMember(text(valid), DEEP(depth).slice(1, -1)))),
  ];
}

const urlencoded = (pairs: Array<[string, string]>) => new URLSearchParams(pairs).toString();
/** One name or value, urlencoded as a browser would (a lone surrogate becomes U+FFFD instead of throwing). */
const escaped = (text: string) => urlencoded([['', text]]).slice(1);
const BAD_ENCODING = ['%E0%A4%A', '%', '%zz', 'a=%ff%fe', '=&&=', '+%00+'];

function formProbes(valid: Fields): Array<fc.Arbitrary<Probe>> {
  const pairs = Object.entries(valid);
  const field = fc.constantFrom(...(pairs.length ? pairs.map(([name]) => name) : ['name']));
  const without = (name: string) => pairs.filter(([key]) => key !== name);
  const withToken = (body: string, csrf: string | undefined) => (csrf ? `${body}${body ? '&' : ''}${urlencoded([['_csrf', csrf]])}` : body);
  const out = (label: unknown, body: string) => probe(label, (csrf) => ({ contentType: 'application/x-www-form-urlencoded', body: withToken(body, csrf) }));
  return [
    fc.tuple(field, hostileText).map(([name, value]) => out({ replace: name, value }, urlencoded([...without(name), [name, value]]))),
    fc.tuple(field, fc.constantFrom('[]', '[0]', '[x]', '[x][y]', '[]'), fc.array(hostileText, { minLength: 1, maxLength: 3 })).map(([name, suffix, values]) =>
      out({ reshape: `${name}${suffix}`, values }, [urlencoded(without(name)), ...values.map((value) => `${escaped(name)}${suffix}=${escaped(value)}`)].filter(Boolean).join('&')),
    ),
    field.map((name) => out({ drop: name }, urlencoded(without(name)))),
    fc.tuple(UNKNOWN_NAMES, hostileText).map(([name, value]) => out({ unknown: name, value }, urlencoded([...pairs, [name, value]]))),
    fc.tuple(field, fc.nat()).map(([name, pick]) => {
      const polluting = pollutingFormPairs(name);
      const pair = polluting[pick % polluting.length];
      return out({ pollute: pair }, [urlencoded(pairs), pair].filter(Boolean).join('&'));
    }),
    field.map((name) => out({ megabyte: name }, urlencoded([...without(name), [name, MEGABYTE_TEXT]]))),
    fc.constant(out({ everyFieldUnconvertible: '[toString]=0&[valueOf]=0' }, pairs.flatMap(([name]) => [`${escaped(name)}[toString]=0`, `${escaped(name)}[valueOf]=0`]).join('&'))),
    fc.constantFrom(...BAD_ENCODING).map((raw) => out({ badEncoding: raw }, [urlencoded(pairs), raw].filter(Boolean).join('&'))),
    fc.constantFrom('application/json', 'text/plain', 'application/xml').map((type) =>
      probe({ contentType: type }, (csrf) => ({ contentType: type, body: type === 'application/json' ? JSON.stringify({ ...valid, ...(csrf ? { _csrf: csrf } : {}) }) : withToken(urlencoded(pairs), csrf) })),
    ),
  ];
}

const BOUNDARY = 'FuzzBoundary7MA4YWxkTrZu0gW';
/** The start of a Linux executable: no evidence type. */
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(64, 0)]);

function multipartProbes(valid: { fields: Fields; file: Part }, isApi: boolean): Array<fc.Arbitrary<Probe>> {
  const fieldParts = (fields: Fields): Part[] => Object.entries(fields).map(([name, value]) => ({ name, value }));
  const parts = [...fieldParts(valid.fields), valid.file];
  const field = fc.constantFrom(...[...Object.keys(valid.fields), 'title']);
  const whole = multipartBody(parts, BOUNDARY);
  const type = `multipart/form-data; boundary=${BOUNDARY}`;
  // A page's upload form carries its token in the query; an API caller sends the header.
  const out = (label: unknown, body: Buffer | string, contentType = type) =>
    probe(label, (csrf) => ({ contentType, body, query: csrf && !isApi ? urlencoded([['_csrf', csrf]]) : undefined }));
  return [
    fc.tuple(field, hostileText).map(([name, value]) => out({ field: name, value }, multipartBody([...fieldParts({ ...valid.fields, [name]: value }), valid.file], BOUNDARY))),
    hostileText.map((fileName) => out({ fileName }, multipartBody([...fieldParts(valid.fields), { ...valid.file, fileName: fileName.replace(/"/g, '') }], BOUNDARY))),
    fc.nat().map((cut) => out({ truncatedAt: cut % whole.length }, whole.subarray(0, cut % whole.length))),
    fc.constant(out({ noClosingBoundary: true }, multipartBody(parts, BOUNDARY, false))),
    fc.constant(out({ noFilePart: true }, multipartBody(fieldParts(valid.fields), BOUNDARY))),
    fc.constantFrom('document', 'files', 'file[]', '').map((name) => out({ filePartNamed: name }, multipartBody([...fieldParts(valid.fields), { ...valid.file, name }], BOUNDARY))),
    fc.constant(out({ twoFiles: true }, multipartBody([...parts, valid.file], BOUNDARY))),
    field.map((name) => out({ megabyteField: name }, multipartBody([...fieldParts({ ...valid.fields, [name]: MEGABYTE_TEXT }), valid.file], BOUNDARY))),
    fc.constantFrom('__proto__', `__proto__[polluted_by_input]`, 'constructor[prototype][polluted_by_input]', 'a[__proto__][polluted_by_input]', 'hasOwnProperty').map((name) =>
      out({ fieldNamed: name }, multipartBody([...parts.slice(0, -1), { name, value: 'yes' }, valid.file], BOUNDARY)),
    ),
    fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=', `multipart/form-data; boundary=Other${BOUNDARY}`, 'multipart/mixed; boundary=x', 'application/json', 'text/plain').map((contentType) =>
      out({ contentType }, whole, contentType),
    ),
    fc.constantFrom(Buffer.alloc(0), ELF).map((content) => out({ fileBytes: content.length === 0 ? 'empty' : 'executable' }, multipartBody([...fieldParts(valid.fields), { ...valid.file, value: content }], BOUNDARY))),
  ];
}

const BILLION_LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(',')}]`)].join('\n');

function yamlProbes(valid: string): Array<fc.Arbitrary<Probe>> {
  const out = (label: unknown, body: string, contentType = 'application/yaml') => probe(label, () => ({ contentType, body }));
  return [
    fc.oneof(hostileText, fc.string({ unit: 'binary', maxLength: 500 })).map((text) => out({ text }, text)),
    fc.constantFrom(...TRICKY_TEXT).map((text) => out({ titleIs: text }, valid.replace(/^title: .*$/m, `title: ${JSON.stringify(text)}`))),
    fc.nat().map((cut) => out({ truncatedAt: cut % valid.length }, valid.slice(0, cut % valid.length))),
    fc.constant(out({ megabyte: true }, `${valid}\n# ${MEGABYTE_TEXT}`)),
    fc.constant(out({ billionLaughs: true }, BILLION_LAUGHS)),
    fc.constantFrom(`__proto__:\n  polluted_by_input: yes\n`, `constructor:\n  prototype:\n    polluted_by_input: yes\n`).map((member) => out({ pollute: member }, `${member}${valid}`)),
    fc.constant(out({ deeplyNested: true }, `${'['.repeat(5_000)}${']'.repeat(5_000)}`)),
    fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded').map((type) => out({ contentType: type }, valid, type)),
  ];
}

function csvProbes(valid: string): Array<fc.Arbitrary<Probe>> {
  const [header] = valid.split('\n');
  const out = (label: unknown, body: string, contentType = 'text/csv') => probe(label, () => ({ contentType, body }));
  return [
    fc.oneof(hostileText, fc.string({ unit: 'binary', maxLength: 500 })).map((text) => out({ text }, text)),
    fc.array(fc.array(hostileText, { maxLength: 8 }), { maxLength: 4 }).map((rows) => out({ rows }, [header, ...rows.map((row) => row.map((cell) => JSON.stringify(cell)).join(','))].join('\n'))),
    fc.constantFrom('__proto__,constructor,prototype\n1,2,3\n', `${header}\n"unbalanced,met,x\n`, `\uFEFF${valid}`, `${header}\n${'a,'.repeat(5_000)}\n`).map((text) => out({ text }, text)),
    fc.constant(out({ megabyteCell: true }, `${header}\nKEY-1,met,${MEGABYTE_TEXT},,,1\n`)),
    fc.constantFrom('application/json', 'text/plain', 'application/octet-stream').map((type) => out({ contentType: type }, valid, type)),
  ];
}

function queryProbes(valid: Fields, filters: readonly string[]): Array<fc.Arbitrary<Probe>> {
  const pairs = Object.entries(valid);
  const name = fc.constantFrom(...filters);
  const without = (filter: string) => pairs.filter(([key]) => key !== filter);
  const out = (label: unknown, raw: string) => probe(label, () => ({ query: raw }));
  // A request line is limited to 16 KB by Node's HTTP parser, before the application sees it: values stay well below.
  const longValue = 'Q'.repeat(12_000);
  return [
    fc.tuple(name, fc.oneof(hostileText, fc.constantFrom('1', '0', '-1', '1.5', '1e9', '9999999999999999999', 'true', 'null', 'NaN', longValue))).map(([filter, value]) =>
      out({ set: filter, value }, urlencoded([...without(filter), [filter, value]])),
    ),
    fc.tuple(name, fc.constantFrom('[]', '[0]', '[x]', '[x][y]'), fc.array(hostileText, { minLength: 1, maxLength: 3 })).map(([filter, suffix, values]) =>
      out({ reshape: `${filter}${suffix}`, values }, [urlencoded(without(filter)), ...values.map((value) => `${escaped(filter)}${suffix}=${escaped(value)}`)].filter(Boolean).join('&')),
    ),
    fc.tuple(name, fc.array(hostileText, { minLength: 2, maxLength: 3 })).map(([filter, values]) => out({ repeated: filter, values }, urlencoded([...without(filter), ...values.map((value): [string, string] => [filter, value])]))),
    fc.tuple(UNKNOWN_NAMES, hostileText).map(([filter, value]) => out({ unknown: filter, value }, urlencoded([...pairs, [filter, value]]))),
    fc.tuple(name, fc.nat()).map(([filter, pick]) => {
      const polluting = pollutingFormPairs(filter);
      return out({ pollute: polluting[pick % polluting.length] }, [urlencoded(pairs), polluting[pick % polluting.length]].filter(Boolean).join('&'));
    }),
    fc.constantFrom(...BAD_ENCODING, 'q=%00', 'q=%C0%80').map((raw) => out({ badEncoding: raw }, [urlencoded(pairs), raw].filter(Boolean).join('&'))),
    fc.constant(out({ everyFilterUnconvertible: '[toString]=0&[valueOf]=0' }, filters.flatMap((filter) => [`${escaped(filter)}[toString]=0`, `${escaped(filter)}[valueOf]=0`]).join('&'))),
  ];
}

/** One arbitrary per kind of breakage. */
function probesFor(valid: Valid, s: Seed, isApi: boolean): Array<fc.Arbitrary<Probe>> {
  if ('json' in valid) return jsonProbes(valid.json(s));
  if ('form' in valid) return formProbes(valid.form(s));
  if ('multipart' in valid) return multipartProbes(valid.multipart(s), isApi);
  if ('yaml' in valid) return yamlProbes(valid.yaml());
  if ('csv' in valid) return csvProbes(valid.csv(s));
  return queryProbes(valid.query(s), valid.filters);
}

// ─── What an answer must be ─────────────────────────────────────────────────────────────────────────

const NO_SUCH_ORGANIZATION = 'No such organization, or you are not a member of it.';
const BEFORE_ACCESS_RULE = /must not contain the NUL character|levels deep/;

/** The message of a refusal: the JSON error's, or the page's alert or error text. */
function messageOf(response: request.Response, isApi: boolean): string {
  if (isApi) return typeof response.body?.message === 'string' ? response.body.message.trim() : '';
  const html = response.text ?? '';
  const alert = /<p class="flash flash-error" role="alert">([\s\S]*?)<\/p>/.exec(html) ?? /<article>\s*<h1>[^<]*<\/h1>\s*<p>([\s\S]*?)<\/p>/.exec(html);
  return alert ? alert[1].trim() : '';
}

/**
 * The caller got past the access rule and the request was judged by the route itself: a success, a
 * validation verdict naming fields, or a refusal on the state of the resource. A route whose runs never
 * get here was not really tested, whatever its statuses.
 */
function judgedByRoute(response: request.Response, isApi: boolean): boolean {
  const { status } = response;
  if (status < 300) return true;
  if (status < 400) return !String(response.headers.location ?? '').startsWith('/signin');
  const message = messageOf(response, isApi);
  // The NUL and nesting checks run before the access rule: their verdicts prove nothing about the caller.
  if (status === 400 && BEFORE_ACCESS_RULE.test(response.text ?? '')) return false;
  if (status === 400) return isApi ? response.body?.details !== undefined : message.startsWith('Invalid input');
  if (status === 404) return message !== NO_SUCH_ORGANIZATION;
  return status === 409 || status === 422;
}

/** A stable seed per route: a failing run is reproduced by running the file again. */
function seedOf(key: string): number {
  return createHash('sha256').update(key).digest().readInt32BE(0);
}

// ─── The tests ──────────────────────────────────────────────────────────────────────────────────────

describe('bad input, on every route that takes input', () => {
  let t: TestApp;
  let s: Seed;
  let prototypes: ReturnType<typeof prototypeSnapshot>;
  let client = 0;

  beforeAll(async () => {
    t = await createTestApp({
      ...OPERATOR_ENV,
      // Probes file complaints and fail sign-ins from many addresses; the limits have tests of their own.
      COMPLAINTS_PER_HOUR: '10000',
      LOGIN_MAX_FAILURES: '1000000',
      // No background job may change a row while the counts are compared.
      NOTIFICATION_POLL_SECONDS: '0',
      EXPIRY_JOB_SECONDS: '0',
    });
    s = await seed(t);
    const tables = await t.sql<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($1)) ORDER BY table_name`,
      [WRITTEN_ON_REFUSAL],
    );
    countEveryTable = `SELECT ${tables.map(({ name }) => `(SELECT count(*) FROM public."${name}") AS "${name}"`).join(', ')}`;
    prototypes = prototypeSnapshot();
  }, 180_000);
  afterAll(() => t?.close());

  /**
   * One statement that counts the rows of every table but those a refusal may write. It is built from
   * the catalogue once, so a table added later is counted too.
   */
  let countEveryTable: string;
  async function rowCounts(): Promise<Record<string, number>> {
    const [row] = await t.sql<Record<string, string>>(countEveryTable);
    return Object.fromEntries(Object.entries(row).map(([table, count]) => [table, Number(count)]));
  }

  async function callerFor(actor: ActorName): Promise<{ agent?: TestAgent; csrf?: string }> {
    switch (actor) {
      case 'owner':
        return s.provider;
      case 'admin':
        return s.team.monitor;
      case 'lead':
        return s.team.lead;
      case 'second':
        return s.team.second;
      case 'operator':
        return s.operator;
      case 'visitor':
        return s.visitor;
      case 'newVisitor': {
        const agent = request.agent(t.server);
        return { agent, csrf: csrfFrom((await agent.get('/signin').expect(200)).text) };
      }
      case 'newSession':
        return t.signIn(s.walkIn.email);
    }
  }

  async function send(key: string, caller: { agent?: TestAgent; csrf?: string }, out: Outgoing): Promise<request.Response> {
    const [method, path] = key.split(' ');
    const url = `${urlOf(key, s)}${out.query ? `?${out.query}` : ''}`;
    const agent = (caller.agent ?? request(t.server)) as unknown as Record<string, (url: string) => request.Test>;
    client += 1;
    // A network of its own per request: the per-client brakes on sign-in and complaints stay out of the way.
    let req = agent[method.toLowerCase()](url).redirects(0).set('X-Forwarded-For', `198.18.${Math.floor(client / 250) % 250}.${(client % 250) + 1}`);
    if (caller.csrf && path.startsWith('/api/')) req = req.set('X-CSRF-Token', caller.csrf);
    if (out.contentType) req = req.set('Content-Type', out.contentType);
    if (out.body !== undefined) req = req.send(out.body);
    return req;
  }

  it('has an entry for every write route and every route that reads a query, and none for a route that is gone', () => {
    const routes = routeTable(t.app);
    const needed = routes.filter((route) => route.method !== 'GET' || route.readsQuery).map((route) => `${route.method} ${route.path}`);
    expect(needed.length).toBeGreaterThan(100);
    expect({ missingFromExpectations: needed.filter((key) => !(key in EXPECTATIONS)) }).toEqual({ missingFromExpectations: [] });
    expect({ notAnInputRoute: Object.keys(EXPECTATIONS).filter((key) => !needed.includes(key)) }).toEqual({ notAnInputRoute: [] });
  });

  it('counts the rows of every table, the seeded ones among them', async () => {
    const counts = await rowCounts();
    expect(Object.keys(counts).length).toBeGreaterThan(30);
    for (const table of ['organizations', 'services', 'evidence_revisions', 'answers', 'findings', 'register_entries', 'complaints', 'audit_events', 'sessions']) {
      expect({ table, rows: counts[table] > 0 }).toEqual({ table, rows: true });
    }
  });

  it('can fill every path parameter with a seeded resource', () => {
    for (const key of Object.keys(EXPECTATIONS)) expect(urlOf(key, s)).not.toContain(':');
  });

  describe('defects this file found', () => {
    it('refuses JSON nested 20,000 lists deep with a 400 naming the body (it overflowed the stack: a 500)', async () => {
      const before = await rowCounts();
      const response = await call(t, asCaller(s.provider), 'post', `${orgPath(s.provider.organization.slug)}/services`)
        .set('Content-Type', 'application/json')
        .send(withRawMember(JSON.stringify({ name: 'Deep' }), DEEP(20_000).slice(1, -1)))
        .expect(400);
      expect(response.body.details).toEqual({ body: ['body must not nest objects or lists more than 32 levels deep'] });
      expect(await rowCounts()).toEqual(before);
    });

    it.each([
      ['the operator’s code import', 'POST /operator/codes/import', 'operator'],
      ['the answers import', 'POST /app/:org/assessments/:id/import', 'owner'],
    ] as const)('refuses a multipart body cut short in %s with a 400 that says so (it was a 500)', async (_name, key, actor) => {
      const caller = actor === 'operator' ? s.operator : s.provider;
      const before = await rowCounts();
      const body = multipartBody([{ name: '_csrf', value: caller.csrf }, textFile('file.csv', 'requirement_key\n')], BOUNDARY, false);
      const response = await send(key, caller, { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body, query: urlencoded([['_csrf', caller.csrf]]) });
      expect(response.status).toBe(400);
      expect(messageOf(response, false)).toBe('The upload could not be read: Unexpected end of form.');
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe.each(Object.keys(EXPECTATIONS))('%s', (key) => {
    it(
      'answers every broken request without a server error; a refusal writes nothing and says why; nothing is polluted',
      async () => {
        const { as, valid } = EXPECTATIONS[key];
        const [method, path] = key.split(' ');
        const isApi = path.startsWith('/api/');
        const statuses: Record<number, number> = {};
        let judged = 0;
        let counted = await rowCounts();
        const kinds = valid.flatMap((encoding) => probesFor(encoding, s, isApi));
        const oneOfEachKind = kinds.map((kind, index): [Probe] => [fc.sample(kind, { seed: seedOf(key) + index, numRuns: 1 })[0]]);
        await fc.assert(
          fc.asyncProperty(fc.oneof(...kinds), async (probe) => {
            const caller = await callerFor(as);
            if (as === 'newVisitor' || as === 'newSession') counted = await rowCounts();
            const out = probe.build(caller.csrf);
            const response = await send(key, caller, out);
            const before = counted;
            counted = await rowCounts();
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            if (judgedByRoute(response, isApi)) judged += 1;
            const seen = { key, probe: probe.label, status: response.status, body: (response.text ?? '').slice(0, 600) };

            expect({ ...seen, serverError: response.status >= 500 }).toEqual({ ...seen, serverError: false });
            if (response.status >= 400 || method === 'GET') expect({ ...seen, rows: counted }).toEqual({ ...seen, rows: before });
            if (response.status >= 400) expect({ ...seen, hasMessage: messageOf(response, isApi).length > 0 }).toEqual({ ...seen, hasMessage: true });
            expect({ ...seen, prototypes: prototypeSnapshot() }).toEqual({ ...seen, prototypes });

            // A new password is set back, so that the next run signs in with the known one.
            if (response.status < 400 && as === 'newSession') await t.sql('UPDATE users SET password_hash = $1 WHERE email = $2', [s.walkIn.passwordHash, s.walkIn.email]);
          }),
          { examples: oneOfEachKind, numRuns: oneOfEachKind.length + RANDOM_RUNS_PER_ROUTE, seed: seedOf(key), endOnFailure: true },
        );
        expect({ key, statuses, judgedByRoute: judged > 0 }).toEqual({ key, statuses, judgedByRoute: true });
      },
      90_000,
    );
  });
});
