import type { ProfileQuestion } from './code-document';

export const QUESTION_FIELDS = ['label', 'type', 'help', 'options'] as const;
export type QuestionField = (typeof QUESTION_FIELDS)[number];

export interface QuestionSummary {
  key: string;
  label: string;
}

export interface QuestionFieldChange {
  field: QuestionField;
  from: string | null;
  to: string | null;
}

export interface QuestionDiff {
  added: QuestionSummary[];
  removed: QuestionSummary[];
  changed: Array<QuestionSummary & { changes: QuestionFieldChange[] }>;
}

/** What changed in the profile questions between two versions, matched by their keys. */
export function diffQuestions(from: readonly ProfileQuestion[], to: readonly ProfileQuestion[]): QuestionDiff {
  const before = new Map(from.map((question) => [question.key, question]));
  const after = new Set(to.map((question) => question.key));
  const diff: QuestionDiff = { added: [], removed: [], changed: [] };
  for (const question of to) {
    const previous = before.get(question.key);
    if (!previous) {
      diff.added.push(summary(question));
      continue;
    }
    const changes = QUESTION_FIELDS.map((field) => ({ field, from: fieldText(previous, field), to: fieldText(question, field) })).filter((change) => change.from !== change.to);
    if (changes.length > 0) diff.changed.push({ ...summary(question), changes });
  }
  for (const question of from) if (!after.has(question.key)) diff.removed.push(summary(question));
  return diff;
}

/** A field as text, so that options compare (and read) as one value: `value (label); …`. */
function fieldText(question: ProfileQuestion, field: QuestionField): string | null {
  if (field === 'options') return question.options.length > 0 ? question.options.map((option) => `${option.value} (${option.label})`).join('; ') : null;
  return question[field];
}

function summary(question: ProfileQuestion): QuestionSummary {
  return { key: question.key, label: question.label };
}
