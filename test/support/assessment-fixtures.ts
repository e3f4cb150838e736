import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { Actor, TestApp } from './test-app';

/**
 * Shared set-up for the assessment and evidence tests: who calls (a session or an API token), the
 * bundled code, an accredited monitoring body, services, evidence and assessments. Every helper that
 * talks to the server awaits its response (and checks its status) before returning the body.
 */

export const CODE = 'csea-detection-tools';
export const VERSION = '1.0.0';
export const OPERATOR = { email: 'ops@example.org', password: 'operator passphrase 1' };
export const OPERATOR_ENV = { OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const NO_SUCH_ORGANIZATION = { statusCode: 404, code: 'auth.not_found', error: 'Not Found', message: 'No such organization, or you are not a member of it.' };
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** Every question of the bundled code answered, for a service directed at children. */
export const CHILD_DIRECTED = {
  provider_roles: ['deploys'],
  tool_types: ['hash_matching', 'classifier'],
  service_types: ['messaging', 'social_network'],
  directed_at_children: true,
  end_to_end_encrypted: false,
  interpersonal_communications: true,
  eu_users: true,
};

/** The same service, not directed at children: fewer requirements apply. */
export const NOT_CHILD_DIRECTED = { ...CHILD_DIRECTED, directed_at_children: false };

/** A date `days` from today (UTC), as YYYY-MM-DD. */
export const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A PDF as far as content detection goes: the header and some bytes. */
export function pdf(text = 'evidence'): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(`1 0 obj << /Title (${text}) >> endobj\n%%EOF\n`)]);
}

/** The start of a Linux executable: a binary that is no evidence. */
export const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0)]);

/** Someone calling the API: a signed-in person (cookie + CSRF token) or an API token. */
export type Caller = { agent: TestAgent; csrf: string } | { token: string };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * A request as `who`, with its credentials set; not sent until awaited. (A plain function returning
 * the supertest Test is fine; an async one would adopt it as a thenable and send it early.)
 */
export function call(t: TestApp, who: Caller, method: Method, path: string) {
  if ('token' in who) return request(t.server)[method](path).set('Authorization', `Bearer ${who.token}`);
  const test = who.agent[method](path);
  return method === 'get' ? test : test.set('X-CSRF-Token', who.csrf);
}

export const orgPath = (slug: string) => `/api/v1/orgs/${slug}`;

export async function createToken(actor: Actor, scopes: string[]): Promise<string> {
  const response = await actor.agent
    .post(`${orgPath(actor.organization.slug)}/tokens`)
    .set('X-CSRF-Token', actor.csrf)
    .send({ name: `${scopes.join('+')} token`, scopes })
    .expect(201);
  return response.body.token;
}

/**
 * Accredits the monitoring body for the bundled code, from yesterday for a year, as the operator: signed
 * in with the password, or the `operator` session given (one that has given a second factor, which an
 * operator needs in production).
 */
export async function accredit(t: TestApp, monitor: Actor, code = CODE, operator?: { agent: TestAgent; csrf: string }): Promise<void> {
  operator ??= await t.signIn(OPERATOR.email, OPERATOR.password);
  await operator.agent
    .post(`/api/v1/codes/${code}/accreditations`)
    .set('X-CSRF-Token', operator.csrf)
    .send({ organization: monitor.organization.slug, validFrom: day(-1), validUntil: day(365) })
    .expect(201);
}

let serviceCounter = 0;

export interface ServiceBody {
  id: string;
  name: string;
}

export async function createService(t: TestApp, who: Caller, slug: string, profile: Record<string, unknown> = CHILD_DIRECTED, name?: string): Promise<ServiceBody> {
  serviceCounter += 1;
  const response = await call(t, who, 'post', `${orgPath(slug)}/services`)
    .send({ name: name ?? `Service ${serviceCounter} ${Date.now().toString(36)}`, profile })
    .expect(201);
  return response.body;
}

export async function applicableKeys(t: TestApp, who: Caller, slug: string, serviceId: string, version = VERSION): Promise<string[]> {
  const response = await call(t, who, 'get', `${orgPath(slug)}/services/${serviceId}/applicability?code=${CODE}&version=${version}`).expect(200);
  return response.body.applicable;
}

export interface EvidenceRef {
  id: string;
  title: string;
  kind: string;
  confidentiality: string;
  revision: number;
  sha256: string;
  status: string;
}

export interface AnswerBody {
  requirementKey: string;
  section: string;
  title: string;
  level: number;
  evidenceRequired: boolean;
  claim: string | null;
  statement: string | null;
  justification: string | null;
  carried: string | null;
  version: number;
  updatedBy: string | null;
  updatedAt: string;
  evidence: EvidenceRef[];
}

export interface AssessmentBody {
  id: string;
  state: string;
  round: number;
  targetLevel: number;
  service: { id: string; name: string };
  code: { slug: string; title: string; version: string };
  monitoringBody: { slug: string; name: string };
  submittedAt: string | null;
  progress: { total: number; answered: number; percent: number; [key: string]: unknown };
  gaps: Array<{ requirementKey: string; problem: string }>;
  answers: AnswerBody[];
}

export async function startAssessment(
  t: TestApp,
  who: Caller,
  slug: string,
  body: { serviceId: string; monitoringBody: string; targetLevel?: number; copyFrom?: string; version?: string },
): Promise<AssessmentBody> {
  const response = await call(t, who, 'post', `${orgPath(slug)}/assessments`)
    .send({ code: CODE, version: body.version ?? VERSION, targetLevel: body.targetLevel ?? 1, serviceId: body.serviceId, monitoringBody: body.monitoringBody, ...(body.copyFrom ? { copyFrom: body.copyFrom } : {}) })
    .expect(201);
  return response.body;
}

export async function getAssessment(t: TestApp, who: Caller, slug: string, id: string): Promise<AssessmentBody> {
  return (await call(t, who, 'get', `${orgPath(slug)}/assessments/${id}`).expect(200)).body;
}

export interface AnswerInput {
  claim?: string | null;
  statement?: string | null;
  justification?: string | null;
  evidenceIds?: string[];
}

/** Saves one answer on top of `version`, expecting 200. */
export async function saveAnswer(t: TestApp, who: Caller, slug: string, assessmentId: string, key: string, version: number, input: AnswerInput) {
  const response = await call(t, who, 'put', `${orgPath(slug)}/assessments/${assessmentId}/answers/${key}`)
    .send({ evidenceIds: [], ...input, version })
    .expect(200);
  return response.body as AnswerBody & { progress: AssessmentBody['progress'] };
}

export interface EvidenceBody {
  id: string;
  kind: string;
  title: string;
  description: string | null;
  confidentiality: string;
  status: string;
  version: number;
  revision: { number: number; sha256: string; size: number; contentType: string; fileName: string | null; url: string | null; text: string | null; effectiveDate: string; expiresAt: string | null; note: string | null; createdAt: string };
  revisions: EvidenceBody['revision'][];
  usedBy: Array<{ assessmentId: string; requirementKey: string; assessment: string; assessmentState: string }>;
}

export async function createLink(t: TestApp, who: Caller, slug: string, fields: Record<string, unknown> = {}): Promise<EvidenceBody> {
  const response = await call(t, who, 'post', `${orgPath(slug)}/evidence`)
    .send({ kind: 'link', title: 'Transparency report', url: 'https://example.org/transparency-2026', ...fields })
    .expect(201);
  return response.body;
}

export async function createText(t: TestApp, who: Caller, slug: string, fields: Record<string, unknown> = {}): Promise<EvidenceBody> {
  const response = await call(t, who, 'post', `${orgPath(slug)}/evidence`)
    .send({ kind: 'text', title: 'Policy excerpt', text: 'We review every report within 24 hours.', ...fields })
    .expect(201);
  return response.body;
}

/**
 * A multipart upload, not yet sent: `file` plus text fields. It confirms what an evidence policy may ask
 * uploaders to confirm (a field no policy asks for is ignored); pass `confirmation: ''` to leave it out.
 */
export function uploadRequest(t: TestApp, who: Caller, path: string, file: Buffer, fileName: string, fields: Record<string, string> = {}) {
  let test = call(t, who, 'post', path);
  for (const [name, value] of Object.entries({ confirmation: 'true', ...fields })) if (value !== '' || name !== 'confirmation') test = test.field(name, value);
  return test.attach('file', file, { filename: fileName });
}

export async function uploadFile(t: TestApp, who: Caller, slug: string, file: Buffer, fileName: string, fields: Record<string, string> = {}): Promise<EvidenceBody> {
  const response = await uploadRequest(t, who, `${orgPath(slug)}/evidence`, file, fileName, { title: fileName, ...fields }).expect(201);
  return response.body;
}

/** Every file below `directory` (relative paths), or none when it does not exist. */
export function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(directory, relative))) {
      const path = join(relative, name);
      if (statSync(join(directory, path)).isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk('');
  return found.sort();
}

/** Waits until `check` holds, for at most `timeoutMs`; returns whether it did. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A person's display name, as the API reports who changed something. */
export async function nameOf(t: TestApp, userId: string): Promise<string> {
  const [row] = await t.sql<{ name: string }>('SELECT name FROM users WHERE id = $1', [userId]);
  return row.name;
}

/** A member's session as a Caller. */
export const asCaller = (session: { agent: TestAgent; csrf: string }): Caller => ({ agent: session.agent, csrf: session.csrf });

/**
 * Retires every published version of a code, as the operator: with no published version of the
 * bundled code left, no published code declares an evidence policy, and uploads are held to the
 * platform's default, which takes pictures and archives.
 */
export async function retirePublishedVersions(t: TestApp, code = CODE): Promise<void> {
  const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
  const { body } = await operator.agent.get(`/api/v1/codes/${code}`).expect(200);
  for (const { version, status } of body.versions as Array<{ version: string; status: string }>) {
    if (status === 'published') await operator.agent.post(`/api/v1/codes/${code}/versions/${version}/retire`).set('X-CSRF-Token', operator.csrf).expect(200);
  }
}
