import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum RegisterErrorCode {
  EntryNotFound = 'register.entry_not_found',
  InvalidCursor = 'register.invalid_cursor',
}

export class RegisterException extends DomainException<RegisterErrorCode> {
  protected readonly statusByCode: Record<RegisterErrorCode, HttpStatus> = {
    [RegisterErrorCode.EntryNotFound]: HttpStatus.NOT_FOUND,
    [RegisterErrorCode.InvalidCursor]: HttpStatus.BAD_REQUEST,
  };
}

export const entryNotFound = () => new RegisterException(RegisterErrorCode.EntryNotFound, 'There is no register entry with this id.');
