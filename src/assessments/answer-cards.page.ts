import type { Requirement } from '../codes/document/code-document';
import type { EvidenceItem } from '../evidence/evidence-library';
import type { AnswerDetail, AssessmentDetail } from './assessment-detail';
import { CLAIMS, type Claim } from './entities/answer.entity';

export const CLAIM_LABELS: Record<Claim, string> = {
  met: 'Met',
  partially_met: 'Partially met',
  not_met: 'Not met',
  not_applicable: 'Not applicable',
};

export const CLAIM_OPTIONS = CLAIMS.map((value) => ({ value, label: CLAIM_LABELS[value] }));

/** What a person posted for one answer of a section form. */
export interface PostedAnswer {
  claim?: string;
  statement?: string;
  justification?: string;
  evidenceIds?: string | string[];
  addEvidence?: string;
  version?: string;
}

/** What a card shows of the requirement itself, in the provider's workspace and the reviewer's alike. */
export function requirementCard(requirement: Requirement) {
  return {
    title: requirement.title,
    text: requirement.text,
    guidance: requirement.guidance,
    evidenceHint: requirement.evidence,
    level: requirement.level,
    evidenceRequired: requirement.evidenceRequired,
  };
}

/** One requirement's card in the workspace: the requirement, the answer (or what was just posted), and what is still missing. */
export function cardOf(detail: AnswerDetail, library: readonly EvidenceItem[], gaps: readonly string[], posted?: PostedAnswer) {
  const { answer, requirement, evidence } = detail;
  const postedIds = posted ? postedEvidenceIds(posted) : undefined;
  const linkedIds = postedIds ?? evidence.map((item) => item.evidence.id);
  const byId = new Map([...library, ...evidence].map((item) => [item.evidence.id, item]));
  const linked = [...new Set(linkedIds)].flatMap((id) => (byId.has(id) ? [evidenceChoice(byId.get(id)!)] : []));
  const postedVersion = posted?.version ? Number(posted.version) : undefined;
  return {
    key: answer.requirementKey,
    ...requirementCard(requirement),
    carried: answer.carried,
    claim: posted ? posted.claim ?? '' : answer.claim ?? '',
    statement: posted ? posted.statement ?? '' : answer.statement ?? '',
    justification: posted ? posted.justification ?? '' : answer.justification ?? '',
    // After a conflict the form is based on the version just shown, so saving it again replaces that one knowingly.
    version: answer.version,
    linked,
    available: library.filter((item) => !linkedIds.includes(item.evidence.id)).map(evidenceChoice),
    updatedByName: detail.updatedByName,
    updatedAt: answer.updatedAt,
    gaps,
    conflict:
      postedVersion !== undefined && postedVersion !== answer.version
        ? {
            by: detail.updatedByName ?? 'an API token',
            at: answer.updatedAt,
            claim: answer.claim ? CLAIM_LABELS[answer.claim] : '(none)',
            statement: answer.statement,
            justification: answer.justification,
            evidence: evidence.map((item) => item.evidence.title),
          }
        : undefined,
  };
}

function evidenceChoice(item: EvidenceItem) {
  return { id: item.evidence.id, title: item.evidence.title, kind: item.evidence.kind, status: item.status, revision: item.current.number, expiresAt: item.current.expiresAt };
}

/** The evidence a posted card links: the boxes left ticked, and the one chosen to add. */
export function postedEvidenceIds(posted: PostedAnswer): string[] {
  return [...toList(posted.evidenceIds), ...toList(posted.addEvidence)];
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined || value === '') return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== '');
}

/** The sections for the navigation, each with its progress, the chosen one marked. */
export function sectionNav(detail: AssessmentDetail, chosen: string) {
  return detail.sections.map(({ section, progress }) => ({ key: section.key, title: section.title, progress, current: section.key === chosen }));
}

/** The gaps, grouped by requirement, for the cards. */
export function gapsByKey(detail: AssessmentDetail): Map<string, string[]> {
  const gaps = new Map<string, string[]>();
  for (const gap of detail.gaps) gaps.set(gap.requirementKey, [...(gaps.get(gap.requirementKey) ?? []), gap.problem]);
  return gaps;
}
