import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

/** Published before codes were named `module.name`; clients read them, so they keep their form. */
export enum ScreeningErrorCode {
  ListNotFound = 'HASH_LIST_NOT_FOUND',
  InvalidList = 'HASH_LIST_INVALID',
  IncidentNotFound = 'UPLOAD_INCIDENT_NOT_FOUND',
  IncidentResolved = 'UPLOAD_INCIDENT_RESOLVED',
  StaleVersion = 'STALE_VERSION',
}

export class ScreeningException extends DomainException<ScreeningErrorCode> {
  protected readonly statusByCode: Record<ScreeningErrorCode, HttpStatus> = {
    [ScreeningErrorCode.ListNotFound]: HttpStatus.NOT_FOUND,
    [ScreeningErrorCode.InvalidList]: HttpStatus.BAD_REQUEST,
    [ScreeningErrorCode.IncidentNotFound]: HttpStatus.NOT_FOUND,
    [ScreeningErrorCode.IncidentResolved]: HttpStatus.CONFLICT,
    [ScreeningErrorCode.StaleVersion]: HttpStatus.CONFLICT,
  };
}
