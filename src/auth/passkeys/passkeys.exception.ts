import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../../common/errors/domain.exception';

export enum PasskeyErrorCode {
  NoChallenge = 'passkey.no_challenge',
  UnknownCredential = 'passkey.unknown_credential',
  Rejected = 'passkey.rejected',
  CounterRegressed = 'passkey.counter_regressed',
  AlreadyEnrolled = 'passkey.already_enrolled',
  NoPasskey = 'passkey.none_enrolled',
  NotFound = 'passkey.not_found',
}

export class PasskeyException extends DomainException<PasskeyErrorCode> {
  protected readonly statusByCode: Record<PasskeyErrorCode, HttpStatus> = {
    [PasskeyErrorCode.NoChallenge]: HttpStatus.UNAUTHORIZED,
    [PasskeyErrorCode.UnknownCredential]: HttpStatus.UNAUTHORIZED,
    [PasskeyErrorCode.Rejected]: HttpStatus.UNAUTHORIZED,
    [PasskeyErrorCode.CounterRegressed]: HttpStatus.UNAUTHORIZED,
    [PasskeyErrorCode.AlreadyEnrolled]: HttpStatus.CONFLICT,
    [PasskeyErrorCode.NoPasskey]: HttpStatus.CONFLICT,
    [PasskeyErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  };
}
