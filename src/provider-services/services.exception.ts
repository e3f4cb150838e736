import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum ServicesErrorCode {
  NotFound = 'service.not_found',
  StaleVersion = 'service.stale_version',
  NameTaken = 'service.name_taken',
}

export class ServicesException extends DomainException<ServicesErrorCode> {
  protected readonly statusByCode: Record<ServicesErrorCode, HttpStatus> = {
    [ServicesErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [ServicesErrorCode.StaleVersion]: HttpStatus.CONFLICT,
    [ServicesErrorCode.NameTaken]: HttpStatus.CONFLICT,
  };
}
