import type { Applicability } from '../codes/document/applicability';
import type { CodeDocument, Profile, ProfileQuestion } from '../codes/document/code-document';

interface QuestionGroup {
  code: string;
  title: string;
  questions: ProfileQuestion[];
}

/** The codes' questions grouped by code, each key asked once: under the first code that asks it. */
export function questionGroupsOf(codes: readonly QuestionGroup[]): QuestionGroup[] {
  const asked = new Set<string>();
  return codes
    .map((code) => ({ ...code, questions: code.questions.filter((question) => !asked.has(question.key) && asked.add(question.key)) }))
    .filter((code) => code.questions.length > 0);
}

/** The service's answers as sentences: each question by its label, each answer by its option's label. */
export function profileForPage(groups: QuestionGroup[], profile: Profile) {
  return groups.map((group) => ({
    title: group.title,
    answers: group.questions.map((question) => ({ label: question.label, answer: answerInWords(question, profile[question.key]) })),
  }));
}

function answerInWords(question: ProfileQuestion, value: Profile[string] | undefined): string | null {
  if (value === undefined) return null;
  const label = (option: string) => question.options.find((candidate) => candidate.value === option)?.label ?? option;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length === 0 ? 'None of these' : value.map(label).join('; ');
  return label(value);
}

/** Applicability grouped by section, with each requirement's title and each exclusion's rule in words. */
export function applicabilityForPage(result: Applicability & { code: string; version: string; document: CodeDocument; rulesInWords: Map<string, string> }) {
  const applicable = new Set(result.applicable);
  const undecided = new Map(result.undecided.map((entry) => [entry.key, entry]));
  const questionLabels = new Map(result.document.profileQuestions.map((question) => [question.key, question.label]));
  const sections = result.document.sections.map((section) => ({
    key: section.key,
    title: section.title,
    requirements: section.requirements.filter((requirement) => applicable.has(requirement.key)).map((requirement) => ({ ...requirement, undecided: undecided.has(requirement.key) })),
  }));
  const titles = new Map(result.document.sections.flatMap((section) => section.requirements.map((requirement) => [requirement.key, requirement.title])));
  return {
    code: result.code,
    version: result.version,
    title: result.document.title,
    total: titles.size,
    applicableCount: result.applicable.length,
    sections: sections.filter((section) => section.requirements.length > 0),
    excluded: result.excluded.map((entry) => ({ ...entry, title: titles.get(entry.key), inWords: result.rulesInWords.get(entry.key) })),
    unansweredQuestions: [...new Set(result.undecided.flatMap((entry) => entry.questions))].map((key) => questionLabels.get(key) ?? key),
  };
}
