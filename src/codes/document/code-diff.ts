import { CodeDocument, Requirement } from './code-document';
import { diffQuestions, QuestionDiff } from './question-diff';
import { diffEvidencePolicies, EvidencePolicyDiff } from './evidence-policy-diff';

export const COMPARED_FIELDS = ['section', 'title', 'text', 'guidance', 'evidence', 'level', 'evidenceRequired', 'appliesWhen'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface RequirementSummary {
  key: string;
  title: string;
  section: string;
  level: number;
}

export interface FieldChange {
  field: ComparedField;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

export interface CodeDiff {
  from: string;
  to: string;
  added: RequirementSummary[];
  removed: RequirementSummary[];
  changed: Array<RequirementSummary & { changes: FieldChange[] }>;
  unchanged: number;
  /** The profile questions added, removed and changed. */
  questions: QuestionDiff;
  /** A change to the evidence policy the version declares; null when it is the same. */
  evidencePolicy: EvidencePolicyDiff | null;
}

type Located = Requirement & { section: string };

/** What changed between two versions of a code, requirement by requirement, matched by their stable keys, and in its evidence policy. */
export function diffCodes(from: CodeDocument, to: CodeDocument): CodeDiff {
  const before = requirementsByKey(from);
  const after = requirementsByKey(to);
  const diff: CodeDiff = {
    from: from.version,
    to: to.version,
    added: [],
    removed: [],
    changed: [],
    unchanged: 0,
    questions: diffQuestions(from.profileQuestions, to.profileQuestions),
    evidencePolicy: diffEvidencePolicies(from.evidencePolicy, to.evidencePolicy),
  };
  for (const [key, requirement] of after) {
    const previous = before.get(key);
    if (!previous) {
      diff.added.push(summary(requirement));
      continue;
    }
    const changes = COMPARED_FIELDS.filter((field) => previous[field] !== requirement[field]).map((field) => ({
      field,
      from: previous[field],
      to: requirement[field],
    }));
    if (changes.length > 0) diff.changed.push({ ...summary(requirement), changes });
    else diff.unchanged += 1;
  }
  for (const [key, requirement] of before) {
    if (!after.has(key)) diff.removed.push(summary(requirement));
  }
  return diff;
}

function requirementsByKey(document: CodeDocument): Map<string, Located> {
  return new Map(
    document.sections.flatMap((section) => section.requirements.map((requirement) => [requirement.key, { ...requirement, section: section.key }] as const)),
  );
}

function summary(requirement: Located): RequirementSummary {
  return { key: requirement.key, title: requirement.title, section: requirement.section, level: requirement.level };
}
