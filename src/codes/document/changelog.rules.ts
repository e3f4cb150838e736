import semver from 'semver';
import { ChangeKind, CodeDocument, DOCUMENT_PARTS, DocumentPart, DocumentProblem } from './code-document';

/**
 * The checks a changelog must pass on its own, without the earlier version: it starts from an earlier
 * version, every entry names something, what it says was added, changed or moved is in this version and
 * what it says was removed is not, and no key or part is both new (or gone) and something else.
 */
export function changelogProblems(document: CodeDocument): DocumentProblem[] {
  const changelog = document.changelog;
  if (!changelog) return [];
  const problems: DocumentProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  if (!semver.lt(changelog.from, document.version)) problem('changelog.from', `a changelog counts changes from an earlier version than ${document.version}, not from ${changelog.from}`);

  const requirements = new Set(document.sections.flatMap((section) => section.requirements.map((requirement) => requirement.key)));
  const questions = new Set(document.profileQuestions.map((question) => question.key));
  // Where each key was first named with each kind of change, to catch a key said to be both new and changed.
  const named = { keys: new Map<string, Map<ChangeKind, number>>(), questions: new Map<string, Map<ChangeKind, number>>() };
  // A part changes in one way only between two versions.
  const namedParts = new Map<DocumentPart, { change: ChangeKind; index: number }>();

  changelog.changes.forEach((entry, index) => {
    const path = `changelog.changes[${index}]`;
    const parts = entry.parts ?? [];
    if (entry.keys.length === 0 && entry.questions.length === 0 && parts.length === 0) {
      problem(path, `name at least one requirement (keys), profile question (questions) or part (parts: ${DOCUMENT_PARTS.join(', ')})`);
    }
    if (entry.change === 'moved' && entry.questions.length > 0) problem(`${path}.questions`, 'only requirements move (to another section); a profile question is added, changed or removed');
    if (entry.change === 'moved' && parts.length > 0) problem(`${path}.parts`, 'only requirements move (to another section); a part is added, changed or removed');
    // Whether a part was added, changed or removed depends on the earlier version: the changelog check compares it.
    for (const part of new Set(parts.filter((part, position) => parts.indexOf(part) !== position))) problem(`${path}.parts`, `${part} is named twice`);
    for (const part of new Set(parts)) {
      const first = namedParts.get(part);
      if (first && first.change !== entry.change) problem(`${path}.parts`, `${part} is named as ${first.change} in changes[${first.index}] and as ${entry.change} here`);
      if (!first) namedParts.set(part, { change: entry.change, index });
    }
    for (const [field, present, what] of [
      ['keys', requirements, 'requirement'],
      ['questions', questions, 'profile question'],
    ] as const) {
      const listed = entry[field];
      for (const key of new Set(listed.filter((key, position) => listed.indexOf(key) !== position))) problem(`${path}.${field}`, `${key} is named twice`);
      for (const key of new Set(listed)) {
        if (entry.change === 'removed' && present.has(key)) problem(`${path}.${field}`, `${key} is still a ${what} of this version; a removed ${what} is absent from it`);
        if (entry.change !== 'removed' && !present.has(key)) problem(`${path}.${field}`, `${key} is not a ${what} of this version`);
        const kinds = named[field].get(key) ?? new Map<ChangeKind, number>();
        const clash = [...kinds].find(([kind]) => kind !== entry.change && !combinable(kind, entry.change));
        if (clash) problem(`${path}.${field}`, `${key} is named as ${clash[0]} in changes[${clash[1]}] and as ${entry.change} here`);
        if (!kinds.has(entry.change)) kinds.set(entry.change, index);
        named[field].set(key, kinds);
      }
    }
  });
  return problems;
}

/** A requirement may be both changed and moved; added and removed exclude every other kind. */
function combinable(a: ChangeKind, b: ChangeKind): boolean {
  return (a === 'changed' && b === 'moved') || (a === 'moved' && b === 'changed');
}
