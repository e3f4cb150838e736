import type { Decision } from './entities/decision.entity';
import type { Finding } from './entities/finding.entity';
import type { ReviewDeclaration } from './entities/review-declaration.entity';
import type { Review } from './entities/review.entity';
import type { SectionSummary } from './entities/section-summary.entity';
import type { RegisterEntry } from '../register/entities/register-entry.entity';
import type { QueueItem } from './review-queue';
import type { NotedFinding, ReviewDetail, ReviewedRequirement } from './review-workspace';

export function queueItemJson(item: QueueItem) {
  const { assessment } = item;
  return {
    id: assessment.id,
    provider: item.provider,
    service: item.service,
    code: item.code,
    targetLevel: assessment.targetLevel,
    state: assessment.state,
    round: assessment.round,
    submittedAt: assessment.submittedAt?.toISOString() ?? null,
    ageDays: item.ageDays,
    lead: item.lead,
    second: item.second,
    decisionPending: item.decisionPending,
  };
}

export function findingJson(finding: NotedFinding | Finding) {
  return {
    round: finding.round,
    requirementKey: finding.requirementKey,
    verdict: finding.verdict,
    comment: finding.comment,
    ...('note' in finding ? { internalNote: finding.note } : {}),
    released: finding.released,
    version: finding.version,
    updatedBy: finding.updatedBy,
    updatedAt: finding.updatedAt.toISOString(),
  };
}

export function summaryJson(summary: SectionSummary) {
  return { sectionKey: summary.sectionKey, publicSummary: summary.publicSummary, version: summary.version, updatedAt: summary.updatedAt.toISOString() };
}

export function decisionJson(decision: Decision) {
  return {
    id: decision.id,
    round: decision.round,
    outcome: decision.outcome,
    level: decision.level,
    validUntil: decision.validUntil,
    conditions: decision.conditions,
    publicSummary: decision.publicSummary,
    status: decision.status,
    proposedBy: decision.proposedBy,
    proposedAt: decision.proposedAt.toISOString(),
    reviewedBy: decision.reviewedBy,
    reviewedAt: decision.reviewedAt?.toISOString() ?? null,
    returnReason: decision.returnReason,
    verificationId: decision.verificationId,
    version: decision.version,
  };
}

export function reviewJson(review: Review) {
  return { lead: review.leadReviewerId, second: review.secondReviewerId, assignedBy: review.assignedBy, assignedAt: review.assignedAt.toISOString(), version: review.version };
}

export function declarationJson(declaration: ReviewDeclaration, names?: Map<string, string>) {
  return {
    userId: declaration.userId,
    name: names?.get(declaration.userId) ?? null,
    conflict: declaration.conflict,
    statement: declaration.statement,
    declaredAt: declaration.declaredAt.toISOString(),
  };
}

export function registerEntryJson(entry: RegisterEntry) {
  return {
    id: entry.id,
    verificationId: entry.verificationId,
    status: entry.status,
    level: entry.level,
    firstVerifiedAt: entry.firstVerifiedAt.toISOString(),
    decidedAt: entry.decidedAt.toISOString(),
    validUntil: entry.validUntil,
    conditions: entry.conditions,
  };
}

function requirementJson(item: ReviewedRequirement) {
  return {
    key: item.requirement.key,
    sectionKey: item.sectionKey,
    title: item.requirement.title,
    text: item.requirement.text,
    level: item.requirement.level,
    evidenceRequired: item.requirement.evidenceRequired,
    answer: item.answer,
    change: item.change,
    finding: item.finding ? findingJson(item.finding) : null,
    previousFinding: item.previousFinding ? findingJson(item.previousFinding) : null,
    verdict: item.verdict,
  };
}

/** A review as the API shows it; the submission itself only to a member who declared no conflict. */
export function reviewDetailJson(detail: ReviewDetail) {
  const { assessment, opened } = detail;
  return {
    id: assessment.id,
    provider: { slug: detail.provider.slug, name: detail.provider.name },
    service: detail.service,
    code: { slug: detail.code.slug, title: detail.code.version.title, version: detail.code.version.version },
    targetLevel: assessment.targetLevel,
    state: assessment.state,
    round: assessment.round,
    submittedAt: assessment.submittedAt?.toISOString() ?? null,
    assignment: detail.review ? { ...reviewJson(detail.review), leadName: detail.names.get(detail.review.leadReviewerId) ?? null, secondName: detail.names.get(detail.review.secondReviewerId) ?? null } : null,
    declarations: detail.declarations.map((declaration) => declarationJson(declaration, detail.names)),
    you: { declared: detail.own.declaration !== null, conflict: detail.own.declaration?.conflict ?? null, role: detail.own.role },
    registerEntry: detail.registerEntry ? registerEntryJson(detail.registerEntry) : null,
    declarationRequired: opened === null,
    ...(opened
      ? {
          submission: { round: opened.submission.round, submittedAt: opened.submission.submittedAt.toISOString(), signatory: { name: opened.submission.signatoryName, title: opened.submission.signatoryTitle } },
          previousRound: opened.previous?.round ?? null,
          sections: opened.sections.map(({ section, requirements, summary, counts }) => ({
            key: section.key,
            title: section.title,
            counts,
            summary: summary ? summaryJson(summary) : null,
            requirements: requirements.map(requirementJson),
          })),
          linkAddresses: Object.fromEntries(opened.linkAddresses),
          suggestedLevel: opened.suggestion.level,
          missingForNextLevel: opened.suggestion.missing,
          pendingDecision: opened.pending ? decisionJson(opened.pending) : null,
          decisions: opened.decisions.map(decisionJson),
        }
      : {}),
  };
}
