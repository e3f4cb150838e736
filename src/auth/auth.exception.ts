import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum AuthErrorCode {
  NotSignedIn = 'auth.not_signed_in',
  BadCredentials = 'auth.bad_credentials',
  TooManyAttempts = 'auth.too_many_attempts',
  TokenInvalid = 'auth.token_invalid',
  TokenExpired = 'auth.token_expired',
  TokenRevoked = 'auth.token_revoked',
  TokenNotFound = 'auth.token_not_found',
  SessionRequired = 'auth.session_required',
  Forbidden = 'auth.forbidden',
  NotFound = 'auth.not_found',
  NoAccessRule = 'auth.no_access_rule',
  CsrfInvalid = 'auth.csrf_invalid',
  CrossSite = 'auth.cross_site',
  UnsupportedBodyType = 'auth.unsupported_body_type',
  WrongPassword = 'auth.wrong_password',
  SetupUnavailable = 'auth.setup_unavailable',
  AccessChanged = 'auth.access_changed',
  ResetLinkExpired = 'auth.reset_link_expired',
  TooManyResets = 'auth.too_many_resets',
  SessionNotFound = 'auth.session_not_found',
  TokenCreatorSuspended = 'auth.token_creator_suspended',
  SsoRequired = 'auth.sso_required',
  WrongCode = 'auth.wrong_code',
  TooManyCodes = 'auth.too_many_codes',
  NoPendingSignIn = 'auth.no_pending_sign_in',
  MfaRequired = 'auth.mfa_required',
  StepUpRequired = 'auth.step_up_required',
  MfaAlreadyEnrolled = 'auth.mfa_already_enrolled',
  EnrolmentNotStarted = 'auth.enrolment_not_started',
  NoSecondFactor = 'auth.no_second_factor',
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
    [AuthErrorCode.ResetLinkExpired]: HttpStatus.GONE,
    [AuthErrorCode.TooManyResets]: HttpStatus.TOO_MANY_REQUESTS,
    [AuthErrorCode.SessionNotFound]: HttpStatus.NOT_FOUND,
    [AuthErrorCode.TokenCreatorSuspended]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.SsoRequired]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.WrongCode]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.TooManyCodes]: HttpStatus.TOO_MANY_REQUESTS,
    [AuthErrorCode.NoPendingSignIn]: HttpStatus.UNAUTHORIZED,
    [AuthErrorCode.MfaRequired]: HttpStatus.FORBIDDEN,
    [AuthErrorCode.StepUpRequired]: HttpStatus.FORBIDDEN,
    [AuthErrorCode.MfaAlreadyEnrolled]: HttpStatus.CONFLICT,
    [AuthErrorCode.EnrolmentNotStarted]: HttpStatus.CONFLICT,
    [AuthErrorCode.NoSecondFactor]: HttpStatus.CONFLICT,
  };
}

/** A token stops while the person who created it is suspended, and works again if they are reactivated. */
export function tokenCreatorSuspended(): AuthException {
  return new AuthException(
    AuthErrorCode.TokenCreatorSuspended,
    'The person who created this API token is suspended by the platform operator, so the token does not work until they are reactivated; an owner can create a new one.',
  );
}
