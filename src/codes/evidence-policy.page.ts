import { FILE_TYPE_GROUPS, FileTypeGroupName, groupOf } from './document/evidence-file-types';
import type { EvidencePolicy } from './document/evidence-policy';
import type { EvidencePolicyDiff, PolicyField } from './document/evidence-policy-diff';
import type { EffectivePolicy } from './evidence-policies';

const KIND_WORDS = { file: 'files', link: 'links', text: 'texts' } as const;

const FIELD_LABELS: Record<PolicyField, string> = {
  kinds: 'Kinds of evidence',
  fileTypes: 'File types',
  embeddedImages: 'Pictures inside documents',
  confirmation: 'Confirmation asked with each file',
  refusalGuidance: 'Said when evidence is refused',
};

/** A policy in words for the code reader. */
export function policyInWords(policy: EvidencePolicy) {
  return {
    kinds: listInWords(policy.kinds.map((kind) => KIND_WORDS[kind])),
    fileTypes: policy.fileTypes.map(fileTypeInWords),
    embeddedImages: policy.embeddedImages === 'refuse' ? 'refused: a PDF or office document that holds a picture is not accepted (drawings and charts are)' : 'allowed',
    confirmation: policy.confirmation,
    refusalGuidance: policy.refusalGuidance,
  };
}

/** The reader's section on evidence: the policy that applies to the version, and where it was declared if elsewhere. */
export function readerPolicy(effective: EffectivePolicy | null, version: string) {
  if (!effective) return null;
  return { ...policyInWords(effective.policy), declaredIn: effective.declaredBy.version === version ? null : effective.declaredBy.version };
}

/** The diff's policy rows with labels and values a reader understands. */
export function policyDiffForPage(diff: EvidencePolicyDiff | null) {
  if (!diff) return null;
  return {
    changes: diff.changes.map(({ field, from, to }) => ({ label: FIELD_LABELS[field], from: valueInWords(field, from), to: valueInWords(field, to) })),
  };
}

function valueInWords(field: PolicyField, value: EvidencePolicy[PolicyField] | null): string | null {
  if (value === null) return null;
  if (field === 'kinds') return listInWords((value as EvidencePolicy['kinds']).map((kind) => KIND_WORDS[kind]));
  if (field === 'fileTypes') return (value as string[]).map(fileTypeInWords).join('; ');
  return String(value);
}

function fileTypeInWords(word: string): string {
  if (word in FILE_TYPE_GROUPS) return FILE_TYPE_GROUPS[word as FileTypeGroupName].label;
  const group = groupOf(word);
  return group ? `${word} (one of the ${group.replace('_', ' ')})` : word;
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
