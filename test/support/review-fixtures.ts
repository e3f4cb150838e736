import { DataSource } from 'typeorm';
import { APPLICATION_ROLE } from '../../src/database/transaction-host';
import { accredit, asCaller, call, orgPath, type Caller } from './assessment-fixtures';
import type { Actor, Member, TestApp } from './test-app';
import { NO_CONFLICT, reviewsPath, reviewTeam, submittedAssessment, type Submitted } from './verification-fixtures';

/**
 * Set-up for the verification tests: a monitoring body with its team, and the steps of a review taken
 * through the API (assign, declare, record findings, decide), each awaited and its status checked.
 */

/** A monitoring body, accredited for the bundled code, with an admin and two reviewers. */
export interface Team {
  monitor: Actor;
  admin: Caller;
  lead: Member;
  second: Member;
}

export async function monitoringBody(t: TestApp, name: string, operator?: Parameters<typeof accredit>[3]): Promise<Team> {
  const monitor = await t.signUp({ organization: name, kind: 'monitoring_body' });
  await accredit(t, monitor, undefined, operator);
  const { lead, second } = await reviewTeam(t, monitor);
  return { monitor, admin: asCaller(monitor), lead, second };
}

type Method = 'get' | 'post' | 'put';

/** A request to the team's review routes (`''` is the queue, `/:id…` one review); not sent until awaited. */
export function onReview(t: TestApp, team: Team, who: Caller, method: Method, path: string) {
  return call(t, who, method, `${reviewsPath(team.monitor)}${path}`);
}

/** A request to the provider's own assessment routes. */
export function onAssessment(t: TestApp, provider: Actor, method: 'get' | 'post' | 'put', path: string) {
  return call(t, asCaller(provider), method, `${orgPath(provider.organization.slug)}/assessments${path}`);
}

/** The admin assigns the team's lead and second reviewer, and both declare no conflict. */
export async function openReview(t: TestApp, team: Team, id: string): Promise<void> {
  await onReview(t, team, team.admin, 'post', `/${id}/assign`).send({ lead: team.lead.userId, second: team.second.userId }).expect(200);
  for (const reviewer of [team.lead, team.second]) await onReview(t, team, asCaller(reviewer), 'post', `/${id}/declaration`).send(NO_CONFLICT).expect(201);
}

export interface ReviewItem {
  key: string;
  sectionKey: string;
  level: number;
  verdict: string | null;
  finding: { verdict: string; comment: string | null; internalNote?: string | null; version: number } | null;
  change: { changed: boolean; [field: string]: unknown } | null;
  previousFinding: { verdict: string; comment: string | null } | null;
}

/** Every requirement of a review as `who` (a declared member) sees it. */
export function itemsOf(body: { sections?: Array<{ requirements: ReviewItem[] }> }): ReviewItem[] {
  return (body.sections ?? []).flatMap((section) => section.requirements);
}

export async function reviewOf(t: TestApp, team: Team, id: string, who: Caller = asCaller(team.lead)) {
  return (await onReview(t, team, who, 'get', `/${id}`).expect(200)).body;
}

/** The lead accepts every requirement except those in `verdicts`, which get the verdict given (with a comment). */
export async function recordFindings(t: TestApp, team: Team, id: string, verdicts: Record<string, 'accepted' | 'changes_requested' | 'rejected'> = {}): Promise<ReviewItem[]> {
  const items = itemsOf(await reviewOf(t, team, id));
  for (const item of items) {
    const verdict = verdicts[item.key] ?? 'accepted';
    const body = verdict === 'accepted' ? { verdict } : { verdict, comment: `Explain how you meet ${item.key}.` };
    await onReview(t, team, asCaller(team.lead), 'put', `/${id}/findings/${item.key}`).send(body).expect(200);
  }
  return items;
}

/** The lead proposes a verified outcome (at the suggested level unless given) and the second approves it. */
export async function decide(t: TestApp, team: Team, id: string, terms: Record<string, unknown> = {}) {
  await onReview(t, team, asCaller(team.lead), 'post', `/${id}/decision`).send({ outcome: 'verified', publicSummary: 'Meets the code.', ...terms }).expect(201);
  return (await onReview(t, team, asCaller(team.second), 'post', `/${id}/decision/approve`).send({}).expect(200)).body as { id: string; verificationId: string | null; level: number | null; validUntil: string | null };
}

export interface RegisterRow {
  id: string;
  assessment_id: string;
  status: string;
  verification_id: string;
  level: number;
  valid_until: string;
  version: number;
}

export async function registerEntryOfService(t: TestApp, serviceId: string): Promise<RegisterRow | undefined> {
  const [entry] = await t.sql<RegisterRow>(`SELECT id, assessment_id, status, verification_id, level, valid_until::text, version FROM register_entries WHERE service_id = $1`, [serviceId]);
  return entry;
}

/** A provider's assessment submitted to the team, reviewed with every requirement accepted, and verified. */
export async function verifiedAssessment(t: TestApp, provider: Actor, team: Team, terms: Record<string, unknown> = {}): Promise<Submitted & { verificationId: string; entry: RegisterRow }> {
  const submitted = await submittedAssessment(t, provider, team.monitor, { targetLevel: 2 });
  await openReview(t, team, submitted.assessment.id);
  await recordFindings(t, team, submitted.assessment.id);
  const decision = await decide(t, team, submitted.assessment.id, terms);
  return { ...submitted, verificationId: decision.verificationId!, entry: (await registerEntryOfService(t, submitted.serviceId))! };
}

/** Runs `sql` as the application role with the organization and user set, as a request does (outside the app's own transactions). */
export function asApplication<T = Record<string, unknown>>(t: TestApp, scope: { organizationId?: string; userId?: string }, sql: string, params: unknown[] = []): Promise<T[]> {
  return t.app.get(DataSource).transaction(async (manager) => {
    await manager.query(`SET LOCAL ROLE ${APPLICATION_ROLE}`);
    await manager.query(`SELECT set_config('adhere.organization_id', $1, true), set_config('adhere.user_id', $2, true)`, [scope.organizationId ?? '', scope.userId ?? '']);
    return manager.query(sql, params);
  });
}

/** The audit actions written in an organization about one assessment, oldest first. */
export async function auditActions(t: TestApp, organizationId: string, assessmentId: string): Promise<string[]> {
  const rows = await t.sql<{ action: string }>(`SELECT action FROM audit_events WHERE organization_id = $1 AND target_id = $2 ORDER BY id`, [organizationId, assessmentId]);
  return rows.map((row) => row.action);
}

/** The notifications written for an organization, oldest first. */
export async function notificationsOf(t: TestApp, organizationId: string): Promise<Array<{ event: string; key: string }>> {
  return t.sql(`SELECT event, key FROM notifications WHERE organization_id = $1 ORDER BY created_at, key`, [organizationId]);
}
