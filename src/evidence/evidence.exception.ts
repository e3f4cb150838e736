import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

/** Published before codes were named `module.name`; clients read them, so they keep their form. */
export enum EvidenceErrorCode {
  NotFound = 'EVIDENCE_NOT_FOUND',
  RevisionNotFound = 'EVIDENCE_REVISION_NOT_FOUND',
  NoContent = 'EVIDENCE_HAS_NO_FILE',
  KindMismatch = 'EVIDENCE_KIND_MISMATCH',
  StaleVersion = 'STALE_VERSION',
  /** The file's type, or the kind of evidence, is not accepted under the policy that applies. */
  RefusedType = 'EVIDENCE_TYPE_REFUSED',
  /** A document or archive holds pictures, or things inside it, that the policy refuses. */
  RefusedContent = 'EVIDENCE_CONTENT_REFUSED',
  /** A file that must be opened to be checked cannot be (encrypted, damaged). */
  Uninspectable = 'EVIDENCE_UNINSPECTABLE',
  /** An archive that expands past the bounds (members, size, ratio, nesting). */
  ArchiveTooLarge = 'ARCHIVE_TOO_LARGE',
  /** Evidence an answer's code does not accept. */
  RefusedForAnswer = 'EVIDENCE_REFUSED_FOR_ANSWER',
  /** The organization's uploads are paused until the platform operator has looked into an upload. */
  UploadsPaused = 'UPLOADS_PAUSED',
}

export class EvidenceException extends DomainException<EvidenceErrorCode> {
  protected readonly statusByCode: Record<EvidenceErrorCode, HttpStatus> = {
    [EvidenceErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [EvidenceErrorCode.RevisionNotFound]: HttpStatus.NOT_FOUND,
    [EvidenceErrorCode.NoContent]: HttpStatus.NOT_FOUND,
    [EvidenceErrorCode.KindMismatch]: HttpStatus.BAD_REQUEST,
    [EvidenceErrorCode.StaleVersion]: HttpStatus.CONFLICT,
    [EvidenceErrorCode.RefusedType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    [EvidenceErrorCode.RefusedContent]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    [EvidenceErrorCode.Uninspectable]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    [EvidenceErrorCode.ArchiveTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
    [EvidenceErrorCode.RefusedForAnswer]: HttpStatus.UNPROCESSABLE_ENTITY,
    [EvidenceErrorCode.UploadsPaused]: HttpStatus.LOCKED,
  };
}
