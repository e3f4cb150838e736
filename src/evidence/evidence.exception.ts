import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum EvidenceErrorCode {
  NotFound = 'EVIDENCE_NOT_FOUND',
  RevisionNotFound = 'EVIDENCE_REVISION_NOT_FOUND',
  NoContent = 'EVIDENCE_HAS_NO_FILE',
  KindMismatch = 'EVIDENCE_KIND_MISMATCH',
  StaleVersion = 'STALE_VERSION',
  ProvidersOnly = 'PROVIDERS_ONLY',
  UnknownEvidence = 'UNKNOWN_EVIDENCE',
}

export class EvidenceException extends DomainException<EvidenceErrorCode> {
  protected readonly statusByCode: Record<EvidenceErrorCode, HttpStatus> = {
    [EvidenceErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [EvidenceErrorCode.RevisionNotFound]: HttpStatus.NOT_FOUND,
    [EvidenceErrorCode.NoContent]: HttpStatus.NOT_FOUND,
    [EvidenceErrorCode.KindMismatch]: HttpStatus.BAD_REQUEST,
    [EvidenceErrorCode.StaleVersion]: HttpStatus.CONFLICT,
    [EvidenceErrorCode.ProvidersOnly]: HttpStatus.FORBIDDEN,
    [EvidenceErrorCode.UnknownEvidence]: HttpStatus.BAD_REQUEST,
  };
}
