import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum TenancyErrorCode {
  EmailTaken = 'EMAIL_TAKEN',
  RoleNotForKind = 'ROLE_NOT_FOR_KIND',
  MembershipNotFound = 'MEMBERSHIP_NOT_FOUND',
  AlreadyMember = 'ALREADY_MEMBER',
  LastAdministrator = 'LAST_ADMINISTRATOR',
  StaleVersion = 'STALE_VERSION',
  InvitationNotFound = 'INVITATION_NOT_FOUND',
  InvitationExpired = 'INVITATION_EXPIRED',
  InvitationUsed = 'INVITATION_USED',
  InvitationForAnotherEmail = 'INVITATION_FOR_ANOTHER_EMAIL',
  AccountExists = 'ACCOUNT_EXISTS',
  NewAccountDetailsMissing = 'NEW_ACCOUNT_DETAILS_MISSING',
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  NameLooksTaken = 'ORGANIZATION_NAME_LOOKS_TAKEN',
}

export class TenancyException extends DomainException<TenancyErrorCode> {
  protected readonly statusByCode: Record<TenancyErrorCode, HttpStatus> = {
    [TenancyErrorCode.EmailTaken]: HttpStatus.CONFLICT,
    [TenancyErrorCode.RoleNotForKind]: HttpStatus.BAD_REQUEST,
    [TenancyErrorCode.MembershipNotFound]: HttpStatus.NOT_FOUND,
    [TenancyErrorCode.AlreadyMember]: HttpStatus.CONFLICT,
    [TenancyErrorCode.LastAdministrator]: HttpStatus.CONFLICT,
    [TenancyErrorCode.StaleVersion]: HttpStatus.CONFLICT,
    [TenancyErrorCode.InvitationNotFound]: HttpStatus.NOT_FOUND,
    [TenancyErrorCode.InvitationExpired]: HttpStatus.GONE,
    [TenancyErrorCode.InvitationUsed]: HttpStatus.GONE,
    [TenancyErrorCode.InvitationForAnotherEmail]: HttpStatus.FORBIDDEN,
    [TenancyErrorCode.AccountExists]: HttpStatus.CONFLICT,
    [TenancyErrorCode.NewAccountDetailsMissing]: HttpStatus.BAD_REQUEST,
    [TenancyErrorCode.OrganizationNotFound]: HttpStatus.NOT_FOUND,
    [TenancyErrorCode.NameLooksTaken]: HttpStatus.CONFLICT,
  };
}

/** The refusal of an organization name a reader could take for another's; `field` is where the form has it. */
export function organizationNameLooksTaken(field = 'name'): TenancyException {
  return new TenancyException(
    TenancyErrorCode.NameLooksTaken,
    "This name looks the same as another organization's name: the same letters in another alphabet, look-alike characters or another case. Choose a name that cannot be mistaken for it.",
    { [field]: ["looks the same as another organization's name (ignoring case and look-alike characters)"] },
  );
}
