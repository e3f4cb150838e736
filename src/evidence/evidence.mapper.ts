import type { EvidenceRevision } from './entities/evidence-revision.entity';
import type { EvidenceDetail, EvidenceItem } from './evidence-library';

export function revisionJson(revision: EvidenceRevision) {
  return {
    number: revision.number,
    sha256: revision.sha256,
    size: revision.size,
    contentType: revision.contentType,
    fileName: revision.fileName,
    url: revision.url,
    text: revision.body,
    effectiveDate: revision.effectiveDate,
    expiresAt: revision.expiresAt,
    note: revision.note,
    createdAt: revision.createdAt.toISOString(),
  };
}

export function evidenceJson({ evidence, current, status }: EvidenceItem) {
  return {
    id: evidence.id,
    kind: evidence.kind,
    title: evidence.title,
    description: evidence.description,
    confidentiality: evidence.confidentiality,
    status,
    version: evidence.version,
    revision: revisionJson(current),
    createdAt: evidence.createdAt.toISOString(),
    updatedAt: evidence.updatedAt.toISOString(),
  };
}

export function evidenceDetailJson(detail: EvidenceDetail) {
  return {
    ...evidenceJson(detail),
    revisions: detail.revisions.map(revisionJson),
    usedBy: detail.uses.map(({ assessmentId, requirementKey, assessment, assessmentState }) => ({ assessmentId, requirementKey, assessment, assessmentState })),
  };
}
