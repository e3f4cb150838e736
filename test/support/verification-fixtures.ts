import { asCaller, call, createService, createText, NOT_CHILD_DIRECTED, orgPath, startAssessment, type AssessmentBody, type Caller, type EvidenceBody } from './assessment-fixtures';
import type { Actor, Member, TestApp } from './test-app';

export const SIGNATORY = { name: 'Olivia Owner', title: 'Chief Executive Officer', confirm: true };

export interface Submitted {
  assessment: AssessmentBody;
  evidence: EvidenceBody;
  serviceId: string;
}

/**
 * A provider's assessment answered in full (every requirement met, backed by one text evidence) and
 * submitted to `monitor` at `targetLevel`.
 */
export async function submittedAssessment(t: TestApp, provider: Actor, monitor: Actor, options: { targetLevel?: number; serviceName?: string } = {}): Promise<Submitted> {
  const who = asCaller(provider);
  const slug = provider.organization.slug;
  const service = await createService(t, who, slug, NOT_CHILD_DIRECTED, options.serviceName);
  const evidence = await createText(t, who, slug, { title: 'Licensing policy', text: 'We license the tool only to vetted organisations.' });
  const started = await startAssessment(t, who, slug, { serviceId: service.id, monitoringBody: monitor.organization.slug, targetLevel: options.targetLevel ?? 2 });
  await answerAll(t, who, slug, started, evidence.id);
  await call(t, who, 'post', `${orgPath(slug)}/assessments/${started.id}/submit`).send({ signatory: SIGNATORY }).expect(200);
  const assessment = (await call(t, who, 'get', `${orgPath(slug)}/assessments/${started.id}`).expect(200)).body as AssessmentBody;
  return { assessment, evidence, serviceId: service.id };
}

/** Every answer claimed met with a statement and the evidence, in one batch. */
export async function answerAll(t: TestApp, who: Caller, slug: string, assessment: AssessmentBody, evidenceId: string): Promise<void> {
  const answers = assessment.answers.map((answer) => ({
    requirementKey: answer.requirementKey,
    version: answer.version,
    claim: 'met',
    statement: `How we meet ${answer.requirementKey}.`,
    justification: null,
    evidenceIds: [evidenceId],
  }));
  await call(t, who, 'put', `${orgPath(slug)}/assessments/${assessment.id}/answers`).send({ answers }).expect(200);
}

export const reviewsPath = (monitor: Actor, id = '') => `${orgPath(monitor.organization.slug)}/reviews${id ? `/${id}` : ''}`;

/** A monitoring body with two reviewers besides its admin. */
export async function reviewTeam(t: TestApp, monitor: Actor): Promise<{ lead: Member; second: Member }> {
  return { lead: await t.addMember(monitor, 'reviewer'), second: await t.addMember(monitor, 'reviewer') };
}

export const NO_CONFLICT = { conflict: false, statement: 'I have no financial, personal or professional interest in this provider.' };
