import type { CodeDiff } from './document/code-diff';
import { DOCUMENT_PARTS, type ChangeKind, type CodeDocument, type DocumentPart } from './document/code-document';
import { rulesInWords } from './document/profile-rules';

/** The code reader's sections: each requirement with its level's name and its rule in words. */
export function readerSections(document: CodeDocument) {
  const inWords = rulesInWords(document);
  const levelNames = new Map(document.levels.map((level) => [level.level, level.name]));
  return document.sections.map((section) => ({
    ...section,
    requirements: section.requirements.map((requirement) => ({
      ...requirement,
      levelName: levelNames.get(requirement.level),
      appliesWhenInWords: inWords.get(requirement.key) ?? null,
    })),
  }));
}

export function requirementCount(document: CodeDocument): number {
  return document.sections.reduce((count, section) => count + section.requirements.length, 0);
}

const FIELD_LABELS: Record<string, string> = {
  section: 'Section',
  title: 'Title',
  text: 'Requirement',
  guidance: 'Guidance',
  evidence: 'Evidence expected',
  level: 'Level',
  evidenceRequired: 'Evidence required',
  appliesWhen: 'Applies when',
};

const QUESTION_FIELD_LABELS: Record<string, string> = { label: 'Question', type: 'Kind of answer', help: 'Help', options: 'Options' };

const CHANGE_LABELS: Record<ChangeKind, string> = { added: 'Added', changed: 'Changed', removed: 'Removed', moved: 'Moved to another section' };

/** What a reader calls each document part, and the anchor of its section on the code reader. */
const PARTS: Record<DocumentPart, { name: string; anchor: string }> = { evidence_policy: { name: 'Evidence policy', anchor: 'evidence-policy' } };

/** A version's changelog for its pages: each change numbered, each key linked to where it can be read. */
export function changelogForPage(slug: string, document: CodeDocument) {
  const changelog = document.changelog;
  if (!changelog) return null;
  const titles = new Map(document.sections.flatMap((section) => section.requirements.map((requirement) => [requirement.key, requirement.title] as const)));
  const labels = new Map(document.profileQuestions.map((question) => [question.key, question.label]));
  return {
    from: changelog.from,
    changes: changelog.changes.map((entry, index) => ({
      number: index + 1,
      change: entry.change,
      label: CHANGE_LABELS[entry.change],
      // A removed requirement is read in the version it was removed from.
      keys: entry.keys.map((key) => ({ key, title: titles.get(key) ?? null, href: `/codes/${slug}/${entry.change === 'removed' ? changelog.from : document.version}#${key}` })),
      questions: entry.questions.map((key) => ({ key, label: labels.get(key) ?? null })),
      // Stored changelogs from before parts existed have none.
      parts: (entry.parts ?? []).map((key) => ({ key, name: PARTS[key].name, href: `/codes/${slug}/${entry.change === 'removed' ? changelog.from : document.version}#${PARTS[key].anchor}` })),
      reason: entry.reason,
      references: entry.references,
    })),
  };
}

/**
 * The diff with field names a reader understands. With the changelog of the later version, when it
 * counts from the earlier one, each requirement, question and part is given the numbers of the changes that
 * explain it.
 */
export function diffForPage(diff: CodeDiff, changelog: ReturnType<typeof changelogForPage> = null) {
  const explained = changelog?.from === diff.from ? changelog : null;
  const numbers = (field: 'keys' | 'questions' | 'parts', key: string) =>
    explained?.changes.filter((entry) => entry[field].some((named) => named.key === key)).map((entry) => entry.number) ?? [];
  const withNumbers = <T extends { key: string }>(field: 'keys' | 'questions', entries: T[]) => entries.map((entry) => ({ ...entry, changelog: numbers(field, entry.key) }));
  return {
    ...diff,
    added: withNumbers('keys', diff.added),
    removed: withNumbers('keys', diff.removed),
    changed: withNumbers(
      'keys',
      diff.changed.map((entry) => ({
        ...entry,
        changes: entry.changes.map((change) => ({ ...change, label: FIELD_LABELS[change.field] ?? change.field })),
      })),
    ),
    questions: {
      added: withNumbers('questions', diff.questions.added),
      removed: withNumbers('questions', diff.questions.removed),
      changed: withNumbers(
        'questions',
        diff.questions.changed.map((entry) => ({ ...entry, changes: entry.changes.map((change) => ({ ...change, label: QUESTION_FIELD_LABELS[change.field] ?? change.field })) })),
      ),
    },
    /** The numbers of the changes that explain each document part's change. */
    partChangelog: Object.fromEntries(DOCUMENT_PARTS.map((part) => [part, numbers('parts', part)])) as Record<DocumentPart, number[]>,
    questionChanges: diff.questions.added.length + diff.questions.removed.length + diff.questions.changed.length,
    changelog: explained,
    /** The later version's changelog counts from another version than the one compared. */
    changelogFrom: changelog && !explained ? changelog.from : null,
  };
}
