import type { VerificationStanding } from './review-feedback';
import type { AssessmentSummary } from './assessments.service';

export function summaryJson({ assessment, service, code, monitoringBody, answered, total }: AssessmentSummary) {
  return {
    id: assessment.id,
    state: assessment.state,
    round: assessment.round,
    targetLevel: assessment.targetLevel,
    service,
    code,
    monitoringBody,
    progress: { answered, total },
    submittedAt: assessment.submittedAt?.toISOString() ?? null,
    createdAt: assessment.createdAt.toISOString(),
    updatedAt: assessment.updatedAt.toISOString(),
  };
}

export function standingJson(standing: VerificationStanding) {
  return {
    findings: [...standing.findings].flatMap(([requirementKey, findings]) => findings.map((finding) => ({ requirementKey, ...finding }))),
    decision: standing.decision ? { ...standing.decision, decidedAt: standing.decision.decidedAt.toISOString() } : null,
    register: standing.register ? { ...standing.register, history: standing.register.history.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })) } : null,
    renewedBy: standing.renewedBy,
  };
}
