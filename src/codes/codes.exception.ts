import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum CodesErrorCode {
  InvalidDocument = 'code.invalid_document',
  CodeNotFound = 'code.not_found',
  VersionNotFound = 'code.version_not_found',
  VersionFrozen = 'code.version_frozen',
  InvalidTransition = 'code.version_invalid_transition',
  NotAMonitoringBody = 'code.not_a_monitoring_body',
  AccreditationOverlaps = 'code.accreditation_overlaps',
  AccreditationNotFound = 'code.accreditation_not_found',
  AccreditationEnded = 'code.accreditation_ended',
}

export class CodesException extends DomainException<CodesErrorCode> {
  protected readonly statusByCode: Record<CodesErrorCode, HttpStatus> = {
    [CodesErrorCode.InvalidDocument]: HttpStatus.BAD_REQUEST,
    [CodesErrorCode.CodeNotFound]: HttpStatus.NOT_FOUND,
    [CodesErrorCode.VersionNotFound]: HttpStatus.NOT_FOUND,
    [CodesErrorCode.VersionFrozen]: HttpStatus.CONFLICT,
    [CodesErrorCode.InvalidTransition]: HttpStatus.CONFLICT,
    [CodesErrorCode.NotAMonitoringBody]: HttpStatus.UNPROCESSABLE_ENTITY,
    [CodesErrorCode.AccreditationOverlaps]: HttpStatus.CONFLICT,
    [CodesErrorCode.AccreditationNotFound]: HttpStatus.NOT_FOUND,
    [CodesErrorCode.AccreditationEnded]: HttpStatus.CONFLICT,
  };
}
