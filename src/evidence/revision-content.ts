import { createHash } from 'node:crypto';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { validateInput } from '../common/validation/validation.pipe';
import type { EvidenceRevision } from './entities/evidence-revision.entity';
import { ContentFacts, memberTypesOf } from './inspection/content-facts';
import type { ReceivedUpload } from './upload/upload-receiver';

export type RevisionContentFields = Pick<EvidenceRevision, 'sha256' | 'size' | 'contentType' | 'fileName' | 'url' | 'body' | 'embedsImages' | 'memberTypes'>;

/** An upload that passed the policy: what was found inside it, and the confirmations its uploader gave. */
export interface CheckedUpload extends ReceivedUpload {
  facts: ContentFacts;
  confirmations: string[];
  /** Why the confirmation the policy asks for is missing, reported with the other fields' problems. */
  unconfirmed: string | null;
}

/** The upload's text fields, with a missing confirmation among their problems, so a form shows them all at once. */
export async function validateUploadFields<T extends object>(fieldsType: new () => T, upload: CheckedUpload): Promise<T> {
  const unconfirmed: Record<string, string[]> = upload.unconfirmed ? { confirmation: [upload.unconfirmed] } : {};
  try {
    const fields = await validateInput(fieldsType, upload.fields);
    if (upload.unconfirmed) throw new InvalidInputException(unconfirmed);
    return fields;
  } catch (error) {
    if (error instanceof InvalidInputException && upload.unconfirmed) throw new InvalidInputException({ ...error.fields, ...unconfirmed });
    throw error;
  }
}

export function fileContent(upload: CheckedUpload): RevisionContentFields {
  const { sha256, size, contentType, fileName } = upload.file;
  return { sha256, size, contentType, fileName, url: null, body: null, embedsImages: upload.facts.embedsImages, memberTypes: memberTypesOf(upload.facts) };
}

/** Links and texts are hashed like files, so that a submission can prove what it pointed at. */
export function recordContent(input: { kind: 'link' | 'text'; url?: string; text?: string }): RevisionContentFields {
  const value = input.kind === 'link' ? input.url! : input.text!;
  const bytes = Buffer.from(value, 'utf8');
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    contentType: input.kind === 'link' ? 'text/uri-list' : 'text/plain; charset=utf-8',
    fileName: null,
    url: input.kind === 'link' ? value : null,
    body: input.kind === 'text' ? value : null,
    embedsImages: null,
    memberTypes: null,
  };
}
