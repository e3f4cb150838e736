import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum HealthErrorCode {
  DatabaseUnreachable = 'health.database_unreachable',
}

export class HealthException extends DomainException<HealthErrorCode> {
  protected readonly statusByCode: Record<HealthErrorCode, HttpStatus> = {
    [HealthErrorCode.DatabaseUnreachable]: HttpStatus.SERVICE_UNAVAILABLE,
  };
}
