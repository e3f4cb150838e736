import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum AuthErrorCode {
  NotSignedIn = 'NOT_SIGNED_IN',
  BadCredentials = 'BAD_CREDENTIALS',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  TokenInvalid = 'TOKEN_INVALID',
  TokenExpired = 'TOKEN_EXPIRED',
  TokenRevoked = 'TOKEN_REVOKED',
  TokenNotFound = 'TOKEN_NOT_FOUND',
  SessionRequired = 'SESSION_REQUIRED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  NoAccessRule = 'NO_ACCESS_RULE',
  CsrfInvalid = 'CSRF_INVALID',
  CrossSite = 'CROSS_SITE',
  UnsupportedBodyType = 'UNSUPPORTED_BODY_TYPE',
  WrongPassword = 'WRONG_PASSWORD',
  SetupUnavailable = 'SETUP_UNAVAILABLE',
  AccessChanged = 'ACCESS_CHANGED',
}

export class AuthException extends DomainException<AuthErrorCode> {
  protected readonly statusByCode: Record<AuthErrorCode, HttpStatus> = {
    [AuthErrorCode.NotSignedIn]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.BadCredentials]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.TooManyAttempts]: HttpStatus.TOO_MANY_REQUESTS,
    [AuthErrorCode.TokenInvalid]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.TokenExpired]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.TokenRevoked]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.TokenNotFound]: HttpStatus.NOT_FOUND,
    [AuthErrorCode.SessionRequired]: HttpStatus.FORBIDDEN,
    [AuthErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
    [AuthErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [AuthErrorCode.NoAccessRule]: HttpStatus.FORBIDDEN,
    [AuthErrorCode.CsrfInvalid]: HttpStatus.FORBIDDEN,
    [AuthErrorCode.CrossSite]: HttpStatus.FORBIDDEN,
    [AuthErrorCode.UnsupportedBodyType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    [AuthErrorCode.WrongPassword]: HttpStatus.BAD_REQUEST,
    [AuthErrorCode.SetupUnavailable]: HttpStatus.NOT_FOUND,
    [AuthErrorCode.AccessChanged]: HttpStatus.CONFLICT,
  };
}
