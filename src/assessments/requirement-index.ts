import type { CodeDocument, Requirement } from '../codes/document/code-document';
import type { AnswerDetail } from './assessment-detail';
import type { AnswerFacts } from './readiness';

/** Each requirement of a code version by key, with the key of its section. */
export function requirementIndex(document: CodeDocument): Map<string, { requirement: Requirement; sectionKey: string }> {
  return new Map(document.sections.flatMap((section) => section.requirements.map((requirement) => [requirement.key, { requirement, sectionKey: section.key }] as const)));
}

/** Each requirement's place in the code, counted from 1 across sections: the order answers are shown in. */
export function requirementPositions(document: CodeDocument): Map<string, number> {
  return new Map(document.sections.flatMap((section) => section.requirements).map((requirement, index) => [requirement.key, index + 1]));
}

/** What readiness needs of an answer read in full. */
export function factsOf(detail: AnswerDetail): AnswerFacts {
  return {
    requirementKey: detail.answer.requirementKey,
    sectionKey: detail.sectionKey,
    claim: detail.answer.claim,
    justification: detail.answer.justification,
    evidenceRequired: detail.requirement.evidenceRequired,
    evidence: detail.evidence.map((item) => item.status),
  };
}
