import { DEFAULT_EVIDENCE_POLICY, type AppliedEvidencePolicy } from '../../codes/document/evidence-policy';
import { InvalidInputException } from '../../common/validation/invalid-input.exception';
import { EvidenceErrorCode, EvidenceException } from '../evidence.exception';
import { accepts, acceptedInWords, guidanceOf, isLegacyOffice, underWhich } from '../policy/policy-words';
import { ACCEPTED_BINARY_TYPES, LEGACY_OFFICE_TYPES } from './accepted-media-types';
import { isUtf8Text } from './utf8-text';

/** How much of a file's beginning is inspected; enough for file-type to read an Office file's first entries. */
export const SAMPLE_BYTES = 64 * 1024;

/**
 * The media type of an upload, judged from its first bytes and never from what the client claims.
 * `truncated` says the sample is not the whole file. Refuses an empty file (400) and anything not
 * accepted as evidence under `policy` (415, saying why and what to send instead).
 */
export async function detectContentType(sample: Uint8Array, fileName: string, truncated: boolean, policy: AppliedEvidencePolicy = DEFAULT_EVIDENCE_POLICY): Promise<string> {
  if (sample.length === 0) throw new InvalidInputException({ file: ['file is empty'] });
  const contentType = await knownType(sample, fileName, truncated);
  if (typeof contentType === 'string' && accepts(policy, contentType)) return contentType;
  const what = typeof contentType === 'string' ? `of type ${contentType.split(';')[0]}` : contentType.refused;
  const legacy = typeof contentType === 'string' && isLegacyOffice(contentType) && policy.embeddedImages === 'refuse'
    ? ' Old Office files cannot be opened to look for pictures: save it as PDF or in the current format (.docx, .xlsx, .pptx) and upload that.'
    : '';
  throw new EvidenceException(
    EvidenceErrorCode.RefusedType,
    `file is ${what}, which is not accepted as evidence${underWhich(policy)}.${legacy}${guidanceOf(policy)} Accepted: ${acceptedInWords(policy)}.`,
    { contentType: typeof contentType === 'string' ? contentType : null },
  );
}

/** The type among those Adhere knows, or what the file turned out to be. */
export async function knownType(sample: Uint8Array, fileName: string, truncated: boolean): Promise<string | { refused: string }> {
  const detected = await magicNumberType(sample);
  const extension = extensionOf(fileName);
  const legacyOffice = LEGACY_OFFICE_TYPES.get(extension);
  if (detected === 'application/x-cfb' && legacyOffice) return legacyOffice;
  if (detected && ACCEPTED_BINARY_TYPES.has(detected)) return detected;
  if (!detected && isUtf8Text(sample, truncated)) {
    // Text has no magic number; its name is the only hint to which kind it is.
    if (extension === 'csv') return 'text/csv; charset=utf-8';
    if (extension === 'json') return 'application/json';
    return 'text/plain; charset=utf-8';
  }
  return { refused: detected ? `of type ${detected}` : 'unrecognised binary' };
}

/** What file-type makes of the first bytes, if anything. */
export async function magicNumberType(sample: Uint8Array): Promise<string | undefined> {
  // file-type is an ES module; a dynamic import loads it from this CommonJS build.
  const { fileTypeFromBuffer } = await import('file-type');
  try {
    return (await fileTypeFromBuffer(sample))?.mime;
  } catch {
    // A sample that breaks the parser is no type it knows.
    return undefined;
  }
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}
