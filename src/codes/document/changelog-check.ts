import { ChangeKind, CodeDocument, DOCUMENT_PARTS, DocumentPart, DocumentProblem } from './code-document';
import { CodeDiff, diffCodes } from './code-diff';

type Claims = Record<ChangeKind, Map<string, number>>;
type Computed = Record<ChangeKind, Map<string, string>>;
type Named = 'keys' | 'questions' | 'parts';

/** How the comparison finds each document part changed, with what changed; null when it is the same. */
const PART_CHANGES: Record<DocumentPart, (diff: CodeDiff) => { kind: ChangeKind; detail: string } | null> = {
  evidence_policy: ({ evidencePolicy }) => {
    if (!evidencePolicy) return null;
    if (!evidencePolicy.from) return { kind: 'added', detail: ' (the earlier version declares none)' };
    if (!evidencePolicy.to) return { kind: 'removed', detail: ' (this version declares none)' };
    return { kind: 'changed', detail: ` (${evidencePolicy.changes.map((change) => change.field).join(', ')})` };
  },
};

/**
 * Whether a version's changelog tells the truth about the version it starts from: every requirement,
 * profile question and document part the comparison finds added, changed, moved or removed is named so in the
 * changelog, and the changelog claims nothing the comparison does not find. `previous` must be the
 * version the changelog names.
 */
export function changelogMismatches(previous: CodeDocument, current: CodeDocument): DocumentProblem[] {
  const changelog = current.changelog;
  if (!changelog) return [];
  if (previous.slug !== current.slug || previous.version !== changelog.from) {
    return [{ path: 'changelog.from', message: `the changelog counts from ${current.slug} ${changelog.from}, but it was compared with ${previous.slug} ${previous.version}` }];
  }
  const diff = diffCodes(previous, current);
  const problems: DocumentProblem[] = [];
  for (const [field, what, computed] of [
    ['keys', 'requirement', requirementChanges(diff)],
    ['questions', 'profile question', questionChanges(diff)],
    ['parts', 'part', partChanges(diff)],
  ] as const) {
    const claimed = claims(current, field);
    for (const kind of Object.keys(computed) as ChangeKind[]) {
      for (const [key, detail] of computed[kind]) {
        if (!claimed[kind].has(key)) problems.push({ path: 'changelog.changes', message: `${what} ${key} was ${kind} since ${previous.version}${detail}, but no change names it as ${kind}` });
      }
      for (const [key, index] of claimed[kind]) {
        if (!computed[kind].has(key)) problems.push({ path: `changelog.changes[${index}].${field}`, message: `names ${key} as ${kind}, but ${actually(computed, key, previous.version)}` });
      }
    }
  }
  return problems;
}

/** The requirement keys the comparison finds, by kind of change, each with what changed. */
function requirementChanges(diff: CodeDiff): Computed {
  const changed = diff.changed.filter((entry) => entry.changes.some((change) => change.field !== 'section'));
  const moved = diff.changed.filter((entry) => entry.changes.some((change) => change.field === 'section'));
  return {
    added: new Map(diff.added.map((entry) => [entry.key, ''])),
    removed: new Map(diff.removed.map((entry) => [entry.key, ''])),
    changed: new Map(changed.map((entry) => [entry.key, ` (${entry.changes.filter((change) => change.field !== 'section').map((change) => change.field).join(', ')})`])),
    moved: new Map(moved.map((entry) => [entry.key, ` (from ${entry.changes.find((change) => change.field === 'section')!.from})`])),
  };
}

function questionChanges(diff: CodeDiff): Computed {
  const { added, removed, changed } = diff.questions;
  return {
    added: new Map(added.map((entry) => [entry.key, ''])),
    removed: new Map(removed.map((entry) => [entry.key, ''])),
    changed: new Map(changed.map((entry) => [entry.key, ` (${entry.changes.map((change) => change.field).join(', ')})`])),
    moved: new Map(),
  };
}

function partChanges(diff: CodeDiff): Computed {
  const computed: Computed = { added: new Map(), changed: new Map(), removed: new Map(), moved: new Map() };
  for (const part of DOCUMENT_PARTS) {
    const change = PART_CHANGES[part](diff);
    if (change) computed[change.kind].set(part, change.detail);
  }
  return computed;
}

/** Where the changelog names each key, by kind of change: the first entry that does. */
function claims(document: CodeDocument, field: Named): Claims {
  const found: Claims = { added: new Map(), changed: new Map(), removed: new Map(), moved: new Map() };
  document.changelog!.changes.forEach((entry, index) => {
    for (const key of entry[field] ?? []) if (!found[entry.change].has(key)) found[entry.change].set(key, index);
  });
  return found;
}

function actually(computed: Computed, key: string, from: string): string {
  const kinds = (Object.keys(computed) as ChangeKind[]).filter((kind) => computed[kind].has(key));
  return kinds.length > 0 ? `it was ${kinds.join(' and ')} since ${from}` : `it is the same as in ${from}`;
}
