import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum ComplaintsErrorCode {
  NotFound = 'complaint.not_found',
  NotFollowed = 'complaint.not_followed',
  TooMany = 'complaint.too_many',
  InvalidMove = 'complaint.invalid_move',
  Stale = 'complaint.stale',
  EntryMoved = 'complaint.entry_with_another_monitoring_body',
}

export class ComplaintsException extends DomainException<ComplaintsErrorCode> {
  protected readonly statusByCode: Record<ComplaintsErrorCode, HttpStatus> = {
    [ComplaintsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
    [ComplaintsErrorCode.NotFollowed]: HttpStatus.NOT_FOUND,
    [ComplaintsErrorCode.TooMany]: HttpStatus.TOO_MANY_REQUESTS,
    [ComplaintsErrorCode.InvalidMove]: HttpStatus.CONFLICT,
    [ComplaintsErrorCode.Stale]: HttpStatus.CONFLICT,
    [ComplaintsErrorCode.EntryMoved]: HttpStatus.CONFLICT,
  };
}

export const complaintNotFound = () => new ComplaintsException(ComplaintsErrorCode.NotFound, 'This monitoring body has no complaint with this id.');

/** The same answer for a reference that does not exist and a secret that does not match it. */
export const notFollowed = () =>
  new ComplaintsException(ComplaintsErrorCode.NotFollowed, 'No complaint matches this reference and secret. Check both as they were shown when you filed it.', {
    reference: ['no complaint matches this reference and secret'],
  });

/** Too many complaints from one client: says when the next one will be taken. */
export class TooManyComplaints extends ComplaintsException {
  constructor(
    limit: number,
    readonly retryAt: Date,
  ) {
    const minutes = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 60_000));
    super(
      ComplaintsErrorCode.TooMany,
      `You have filed ${limit} complaint${limit === 1 ? '' : 's'} within the past hour, as many as one network may. Try again after ${retryAt.toISOString()} (in about ${minutes} minute${minutes === 1 ? '' : 's'}).`,
    );
    this.extra = { retryAt: retryAt.toISOString() };
  }

  /** Whole seconds until then, at least one: the Retry-After header. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.retryAt.getTime() - Date.now()) / 1000));
  }
}
