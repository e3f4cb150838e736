import type { CodeDiff } from './document/code-diff';
import type { CodeDocument } from './document/code-document';
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

/** The diff with field names a reader understands. */
export function diffForPage(diff: CodeDiff) {
  return {
    ...diff,
    changed: diff.changed.map((entry) => ({
      ...entry,
      changes: entry.changes.map((change) => ({ ...change, label: FIELD_LABELS[change.field] ?? change.field })),
    })),
  };
}
