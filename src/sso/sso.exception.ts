import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum SsoErrorCode {
  IssuerRefused = 'sso.issuer_refused',
  IssuerUnreachable = 'sso.issuer_unreachable',
  SecretRequired = 'sso.client_secret_required',
  RoleNotAllowed = 'sso.role_not_allowed',
  PublicMailDomain = 'sso.public_mail_domain',
  DomainTaken = 'sso.domain_taken',
  StaleVersion = 'sso.stale_version',
  NotConfigured = 'sso.not_configured',
  DomainNotFound = 'sso.domain_not_found',
  DomainDecided = 'sso.domain_decided',
  SignInFailed = 'sso.sign_in_failed',
  AddressRefused = 'sso.address_refused',
}

export class SsoException extends DomainException<SsoErrorCode> {
  protected readonly statusByCode: Record<SsoErrorCode, HttpStatus> = {
    [SsoErrorCode.IssuerRefused]: HttpStatus.BAD_REQUEST,
    [SsoErrorCode.IssuerUnreachable]: HttpStatus.BAD_REQUEST,
    [SsoErrorCode.SecretRequired]: HttpStatus.BAD_REQUEST,
    [SsoErrorCode.RoleNotAllowed]: HttpStatus.BAD_REQUEST,
    [SsoErrorCode.PublicMailDomain]: HttpStatus.BAD_REQUEST,
    [SsoErrorCode.DomainTaken]: HttpStatus.CONFLICT,
    [SsoErrorCode.StaleVersion]: HttpStatus.CONFLICT,
    [SsoErrorCode.NotConfigured]: HttpStatus.NOT_FOUND,
    [SsoErrorCode.DomainNotFound]: HttpStatus.NOT_FOUND,
    [SsoErrorCode.DomainDecided]: HttpStatus.CONFLICT,
    [SsoErrorCode.SignInFailed]: HttpStatus.BAD_REQUEST,
    [SsoErrorCode.AddressRefused]: HttpStatus.FORBIDDEN,
  };
}
