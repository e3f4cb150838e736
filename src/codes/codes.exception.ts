import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum CodesErrorCode {
  InvalidDocument = 'INVALID_CODE_DOCUMENT',
  CodeNotFound = 'CODE_NOT_FOUND',
  VersionNotFound = 'CODE_VERSION_NOT_FOUND',
  VersionFrozen = 'CODE_VERSION_FROZEN',
  InvalidTransition = 'CODE_VERSION_INVALID_TRANSITION',
  NotAMonitoringBody = 'NOT_A_MONITORING_BODY',
  AccreditationOverlaps = 'ACCREDITATION_OVERLAPS',
  AccreditationNotFound = 'ACCREDITATION_NOT_FOUND',
  AccreditationEnded = 'ACCREDITATION_ENDED',
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
