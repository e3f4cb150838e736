import { essence, INSPECTABLE_DOCUMENT_TYPES } from '../../codes/document/evidence-file-types';
import type { AppliedEvidencePolicy } from '../../codes/document/evidence-policy';
import type { EvidenceRevision } from '../entities/evidence-revision.entity';
import type { EvidenceKind } from '../entities/evidence.entity';
import { accepts } from './policy-words';

export type StoredFacts = Pick<EvidenceRevision, 'contentType' | 'embedsImages' | 'memberTypes'>;

/**
 * Why a stored revision cannot back an answer held to `policy`, or null when it can. It is judged by
 * what was recorded when the revision was stored (its type, and what was found inside it), so the file
 * is not opened again; what could not be found out (null) counts against it where it matters.
 */
export function refusalOf(kind: EvidenceKind, revision: StoredFacts, policy: AppliedEvidencePolicy): string | null {
  if (!policy.kinds.includes(kind)) return `it is a ${kind}, and ${kind}s are not accepted`;
  if (kind !== 'file') return null;
  const type = essence(revision.contentType);
  if (!accepts(policy, type)) return `it is a file of type ${type}, which is not accepted`;
  if (type === 'application/zip') {
    if (revision.memberTypes === null) return 'it is an archive that could not be opened, so what it holds is unknown; upload its files one by one';
    const refused = revision.memberTypes.filter((member) => !policy.mediaTypes.includes(member));
    if (refused.length > 0) return `it is an archive holding files of type ${refused.join(', ')}, which are not accepted`;
  }
  if (policy.embeddedImages === 'refuse' && (INSPECTABLE_DOCUMENT_TYPES.has(type) || type === 'application/zip')) {
    if (revision.embedsImages === null) return 'it could not be opened to check it for pictures; save it again (for example, print it to a new PDF) and upload that as a new revision';
    if (revision.embedsImages) return 'it holds pictures or embedded objects, which are not accepted';
  }
  return null;
}
