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
