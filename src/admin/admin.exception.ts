import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum AdminErrorCode {
  UserNotFound = 'admin.user_not_found',
  OrganizationNotFound = 'admin.organization_not_found',
  OwnAccount = 'admin.own_account',
  AlreadySuspended = 'admin.already_suspended',
  NotSuspended = 'admin.not_suspended',
}

export class AdminException extends DomainException<AdminErrorCode> {
  protected readonly statusByCode: Record<AdminErrorCode, HttpStatus> = {
    [AdminErrorCode.UserNotFound]: HttpStatus.NOT_FOUND,
    [AdminErrorCode.OrganizationNotFound]: HttpStatus.NOT_FOUND,
    [AdminErrorCode.OwnAccount]: HttpStatus.CONFLICT,
    [AdminErrorCode.AlreadySuspended]: HttpStatus.CONFLICT,
    [AdminErrorCode.NotSuspended]: HttpStatus.CONFLICT,
  };
}

export const userNotFound = () => new AdminException(AdminErrorCode.UserNotFound, 'No account has this id.');
export const organizationNotFound = () => new AdminException(AdminErrorCode.OrganizationNotFound, 'No organization has this id.');
