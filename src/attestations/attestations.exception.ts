import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

export enum AttestationErrorCode {
  Malformed = 'attestation.malformed',
}

export class AttestationException extends DomainException<AttestationErrorCode> {
  protected readonly statusByCode: Record<AttestationErrorCode, HttpStatus> = {
    [AttestationErrorCode.Malformed]: HttpStatus.BAD_REQUEST,
  };
}

/** Input that is not a compact JWS at all: a 400 that names the field, on the API and on the form. */
export const malformedAttestation = (problem: string) =>
  new AttestationException(AttestationErrorCode.Malformed, `attestation: ${problem}`, { attestation: [problem] });
