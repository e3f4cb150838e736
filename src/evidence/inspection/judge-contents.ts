import { essence, INSPECTABLE_DOCUMENT_TYPES } from '../../codes/document/evidence-file-types';
import type { AppliedEvidencePolicy } from '../../codes/document/evidence-policy';
import { EvidenceErrorCode, EvidenceException } from '../evidence.exception';
import { acceptedInWords, guidanceOf, underWhich } from '../policy/policy-words';
import type { ContentFacts } from './content-facts';

const SHOWN = 5;

/**
 * Refuses a file for what is inside it: an archive must hold only what the policy accepts, every
 * entry of it checked; where the policy refuses pictures inside documents, a PDF or office document
 * must have been opened and found to hold none (nor embedded objects, which may hold anything).
 */
export function refuseContents(facts: ContentFacts, contentType: string, policy: AppliedEvidencePolicy): void {
  const type = essence(contentType);
  const under = underWhich(policy);
  if (type === 'application/zip') {
    if (facts.unreadable) throw uninspectable(`file is a ZIP archive that cannot be checked: ${facts.unreadable}. Send the files one by one instead.`);
    const refused = (facts.members ?? []).filter((member) => !member.contentType || !policy.mediaTypes.includes(member.contentType));
    if (refused.length > 0) {
      const listed = refused.slice(0, SHOWN).map((member) => `${member.name} (${member.contentType ?? 'unrecognised'})`);
      throw new EvidenceException(
        EvidenceErrorCode.RefusedContent,
        `file is a ZIP archive holding ${listed.join(', ')}${more(refused)}, which ${refused.length === 1 ? 'is' : 'are'} not accepted as evidence${under}.${guidanceOf(policy)} Accepted: ${acceptedInWords(policy)}.`,
        { refused: refused.map((member) => member.name) },
      );
    }
  }
  if (policy.embeddedImages !== 'refuse' || !(INSPECTABLE_DOCUMENT_TYPES.has(type) || type === 'application/zip')) return;
  if (facts.unreadable || facts.embedsImages === null) {
    throw uninspectable(
      `file cannot be checked for pictures, which evidence${under} must not hold: ${facts.unreadable ?? 'it could not be opened'}. ` +
        'Save it again without a password (for example, print it to a new PDF) and upload that.',
    );
  }
  const found = [...facts.pictures, ...facts.embeddedObjects];
  if (found.length > 0) {
    throw new EvidenceException(
      EvidenceErrorCode.RefusedContent,
      `file holds pictures or embedded objects (${found.slice(0, SHOWN).join(', ')}${more(found)}), which evidence${under} must not hold; drawings and charts are fine.${guidanceOf(policy)}`,
      { pictures: found.slice(0, 50) },
    );
  }
}

function more(list: readonly unknown[]): string {
  return list.length > SHOWN ? ` and ${list.length - SHOWN} more` : '';
}

function uninspectable(message: string): EvidenceException {
  return new EvidenceException(EvidenceErrorCode.Uninspectable, message);
}
