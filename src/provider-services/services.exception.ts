import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum ServicesErrorCode {
  NotFound = 'SERVICE_NOT_FOUND',
  StaleVersion = 'STALE_VERSION',
  NameTaken = 'SERVICE_NAME_TAKEN',
  ProvidersOnly = 'PROVIDERS_ONLY',
}

export class ServicesException extends DomainException<ServicesErrorCode> {
  protected readonly statusByCode: Record<ServicesErrorCode, HttpStatus> = {
    [ServicesErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [ServicesErrorCode.StaleVersion]: HttpStatus.CONFLICT,
    [ServicesErrorCode.NameTaken]: HttpStatus.CONFLICT,
    [ServicesErrorCode.ProvidersOnly]: HttpStatus.FORBIDDEN,
  };
}
