import type { DocumentProblem } from './code-document';
import { FILE_TYPE_GROUPS, groupOf } from './evidence-file-types';
import type { EvidencePolicy } from './evidence-policy';

/**
 * The checks of an evidence policy that span its fields: nothing named twice, file types exactly when
 * files are accepted, a confirmation only where there are uploads to confirm, and no file type whose
 * pictures cannot be looked for where pictures are refused.
 */
export function evidencePolicyProblems(policy: EvidencePolicy): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ path: `evidence_policy.${field}`, message });
  const acceptsFiles = policy.kinds.includes('file');

  duplicates(policy.kinds).forEach((kind) => problem('kinds', `${kind} is listed twice`));
  duplicates(policy.fileTypes).forEach((word) => problem('file_types', `${word} is listed twice`));
  policy.fileTypes.forEach((word) => {
    const group = groupOf(word);
    if (group && word !== group && policy.fileTypes.includes(group)) problem('file_types', `${word} is already part of the group ${group}`);
  });
  if (acceptsFiles && policy.fileTypes.length === 0) problem('file_types', 'name the file types accepted, since kinds includes file');
  if (!acceptsFiles && policy.fileTypes.length > 0) problem('file_types', 'file types are named only when kinds includes file');
  if (!acceptsFiles && policy.confirmation !== null) problem('confirmation', 'a confirmation goes with each uploaded file, and kinds does not include file');
  if (policy.embeddedImages === 'refuse') {
    const legacy = policy.fileTypes.filter((word) => word === 'legacy_office' || (FILE_TYPE_GROUPS.legacy_office.types as readonly string[]).includes(word));
    legacy.forEach((word) =>
      problem('file_types', `${word} cannot be opened to look for pictures, so it cannot be accepted while embedded_images is refuse; ask for PDF or the current Office formats instead`),
    );
  }
  return problems;
}

function duplicates<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}
