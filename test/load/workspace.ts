import { codeYaml } from '../bench/code-yaml';
import { Client } from '../bench/http-client';
import { signInOperator } from '../bench/operator';
import { sql } from './database';

/** 3 sections × 12 requirements: "a few dozen", every one applying to any service. */
export const CODE = { slug: 'load-code', sections: 3, perSection: 12 };
const PASSWORD = 'load password of some length';

export interface AnswerState {
  requirementKey: string;
  version: number;
  evidenceRequired: boolean;
}

/** A provider's workspace as seeded through the API, with the clients that act in it. */
export interface Workspace {
  providerSlug: string;
  providerId: string;
  monitorSlug: string;
  serviceId: string;
  /** The provider's owner, signed in (pages, and what needs a person: submitting, withdrawing). */
  owner: Client;
  /** The same provider through an API token with read and write scopes. */
  api: Client;
  token: string;
  /** The session cookie of `owner`, for load generators that send it as is. */
  ownerCookie: string;
  evidenceIds: string[];
  assessmentId: string;
  answers: AnswerState[];
  /** The API's base path of the provider, `/api/v1/orgs/:org`. */
  base: string;
}

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function signUp(port: number, databaseUrl: string, kind: 'provider' | 'monitoring_body', name: string): Promise<{ client: Client; slug: string; id: string; cookie: string }> {
  const client = new Client(port);
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const response = await client.expect(201, 'POST', '/api/v1/auth/signup', {
    body: { email: `${kind}-${unique}@example.org`, password: PASSWORD, name: `Load ${kind}`, organization: { name: `${name} ${unique}`, kind } },
  });
  // The address counts as confirmed, as if the mailed link had been opened: submitting and tokens need it.
  await sql(databaseUrl, `UPDATE users SET email_verified_at = now() WHERE id = $1`, [response.body.user.id]);
  const session = await client.expect(200, 'GET', '/api/v1/auth/session');
  client.csrf = session.body.csrfToken;
  const cookie = (session.headers['set-cookie'] ?? response.headers['set-cookie'] ?? [])
    .map((line) => line.split(';')[0])
    .find((pair) => pair.startsWith('adhere.sid='));
  if (!cookie) throw new Error('Sign-up set no session cookie');
  return { client, slug: response.body.organization.slug, id: response.body.organization.id, cookie };
}

/** Answers that leave no gap: a claim and statement for each, evidence where it is required. */
export function fullAnswers(answers: readonly AnswerState[], evidenceIds: readonly string[], label: string) {
  return answers.map((answer, index) => ({
    requirementKey: answer.requirementKey,
    claim: 'met',
    statement: `${label}: control ${answer.requirementKey} is documented, owned by the compliance lead and reviewed every year.`,
    evidenceIds: answer.evidenceRequired ? [evidenceIds[index % evidenceIds.length]] : [],
    version: answer.version,
  }));
}

/**
 * Through the API, as people would: the operator publishes a code and accredits a monitoring body;
 * a provider signs up, creates an API token, a service, evidence links and an assessment, and
 * answers every requirement.
 */
export async function seedWorkspace(port: number, databaseUrl: string): Promise<Workspace> {
  const operator = await signInOperator(port);
  try {
    await operator.expect(201, 'POST', '/api/v1/codes', { body: codeYaml(CODE.slug, CODE.sections, CODE.perSection), headers: { 'Content-Type': 'application/yaml' } });
    await operator.expect(200, 'POST', `/api/v1/codes/${CODE.slug}/versions/1.0.0/publish`);
    const monitor = await signUp(port, databaseUrl, 'monitoring_body', 'Load Monitoring Body');
    monitor.client.close();
    await operator.expect(201, 'POST', `/api/v1/codes/${CODE.slug}/accreditations`, { body: { organization: monitor.slug, validFrom: day(-1), validUntil: day(365) } });

    const provider = await signUp(port, databaseUrl, 'provider', 'Load Provider');
    const base = `/api/v1/orgs/${provider.slug}`;
    const api = new Client(port);
    const token = (await provider.client.expect(201, 'POST', `${base}/tokens`, { body: { name: 'load', scopes: ['read', 'write'] } })).body.token;
    api.token = token;
    const service = (await api.expect(201, 'POST', `${base}/services`, { body: { name: 'Load service', profile: {} } })).body;
    const evidenceIds: string[] = [];
    for (let index = 1; index <= 6; index += 1) {
      evidenceIds.push((await api.expect(201, 'POST', `${base}/evidence`, { body: { kind: 'link', title: `Policy document ${index}`, url: `https://example.org/policy-${index}` } })).body.id);
    }
    const started = await api.expect(201, 'POST', `${base}/assessments`, {
      body: { serviceId: service.id, code: CODE.slug, version: '1.0.0', monitoringBody: monitor.slug, targetLevel: 1 },
    });
    const filled = await api.expect(200, 'PUT', `${base}/assessments/${started.body.id}/answers`, { body: { answers: fullAnswers(started.body.answers, evidenceIds, 'Seeded') } });
    return {
      providerSlug: provider.slug,
      providerId: provider.id,
      monitorSlug: monitor.slug,
      serviceId: service.id,
      owner: provider.client,
      api,
      token,
      ownerCookie: provider.cookie,
      evidenceIds,
      assessmentId: started.body.id,
      answers: filled.body.answers,
      base,
    };
  } finally {
    operator.close();
  }
}
