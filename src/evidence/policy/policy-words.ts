import { ALL_MEDIA_TYPES, essence, FILE_TYPE_GROUP_NAMES, FILE_TYPE_GROUPS } from '../../codes/document/evidence-file-types';
import type { AppliedEvidencePolicy } from '../../codes/document/evidence-policy';
import { ACCEPTED_DESCRIPTION } from '../upload/accepted-media-types';

/** " under the Strict Evidence Code 1.0.0", or nothing for the platform's default. */
export function underWhich(policy: AppliedEvidencePolicy): string {
  if (policy.sources.length === 0) return '';
  const names = policy.sources.map((source) => `${source.title} ${source.version}`);
  return ` under ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`}`;
}

/** The file types a policy accepts, in words: whole groups by their label, else the media types themselves. */
export function acceptedInWords(policy: AppliedEvidencePolicy): string {
  if (policy.mediaTypes.length === ALL_MEDIA_TYPES.length) return ACCEPTED_DESCRIPTION;
  if (!policy.kinds.includes('file') || policy.mediaTypes.length === 0) return 'no files';
  return FILE_TYPE_GROUP_NAMES.flatMap((group) => {
    const types = FILE_TYPE_GROUPS[group].types as readonly string[];
    const accepted = types.filter((type) => policy.mediaTypes.includes(type));
    if (accepted.length === types.length) return [FILE_TYPE_GROUPS[group].label];
    return accepted;
  }).join('; ');
}

/** The policy's own guidance, ready to follow a sentence. */
export function guidanceOf(policy: AppliedEvidencePolicy): string {
  return policy.guidance.map((text) => ` ${text.trim().replace(/([^.!?])$/, '$1.')}`).join('');
}

export function accepts(policy: AppliedEvidencePolicy, contentType: string): boolean {
  return policy.kinds.includes('file') && policy.mediaTypes.includes(essence(contentType));
}

export function isLegacyOffice(contentType: string): boolean {
  return (FILE_TYPE_GROUPS.legacy_office.types as readonly string[]).includes(essence(contentType));
}
