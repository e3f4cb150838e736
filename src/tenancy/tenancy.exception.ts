import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum TenancyErrorCode {
  EmailTaken = 'tenancy.email_taken',
  RoleNotForKind = 'tenancy.role_not_for_kind',
  MembershipNotFound = 'tenancy.membership_not_found',
  AlreadyMember = 'tenancy.already_member',
  LastAdministrator = 'tenancy.last_administrator',
  StaleVersion = 'tenancy.stale_version',
  InvitationNotFound = 'tenancy.invitation_not_found',
  InvitationExpired = 'tenancy.invitation_expired',
  InvitationUsed = 'tenancy.invitation_used',
  InvitationForAnotherEmail = 'tenancy.invitation_for_another_email',
  AccountExists = 'tenancy.account_exists',
  NewAccountDetailsMissing = 'tenancy.new_account_details_missing',
  NameLooksTaken = 'tenancy.organization_name_looks_taken',
  OrganizationSuspended = 'tenancy.organization_suspended',
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
    [TenancyErrorCode.NameLooksTaken]: HttpStatus.CONFLICT,
    [TenancyErrorCode.OrganizationSuspended]: HttpStatus.FORBIDDEN,
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

/** The refusal of every route of an organization the operator suspended, to its members and tokens alike. */
export function organizationSuspended(name: string): TenancyException {
  return new TenancyException(
    TenancyErrorCode.OrganizationSuspended,
    `${name} is suspended by the platform operator: its pages and API are closed to its members and API tokens until the operator reactivates it. Its entries in the public register are unchanged. Contact the operator to learn why.`,
  );
}
