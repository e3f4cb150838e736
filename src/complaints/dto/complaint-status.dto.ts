import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FieldErrors } from '../../common/errors/field-errors';
import { IsVersion } from '../../common/validation/version.decorator';
import { COMPLAINT_ACTIONS, HANDLING_STATUSES, isClosed, type ComplaintAction, type HandlingStatus } from '../complaint-states';

const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);

/** A monitoring body's move on a complaint: investigate it, or decide it with a public outcome. */
export class ComplaintStatusDto {
  @ApiProperty({ enum: HANDLING_STATUSES })
  @IsIn(HANDLING_STATUSES, { message: `status must be one of: ${HANDLING_STATUSES.join(', ')}` })
  status: HandlingStatus;

  @ApiPropertyOptional({ description: 'Required to uphold or dismiss: what was found, for the public' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'publicOutcome must be text' })
  @MaxLength(5_000, { message: 'publicOutcome must be at most 5000 characters' })
  publicOutcome?: string;

  @ApiPropertyOptional({ enum: COMPLAINT_ACTIONS, description: 'Only when upheld: suspend or revoke the entry’s verification' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(COMPLAINT_ACTIONS, { message: `action must be one of: ${COMPLAINT_ACTIONS.join(', ')}` })
  action?: ComplaintAction;

  @ApiPropertyOptional({ description: 'With an action: the public reason the register shows; by default the public outcome' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(5_000, { message: 'reason must be at most 5000 characters' })
  reason?: string;

  @ApiProperty({ description: 'The version of the complaint you read; a stale one is a 409' })
  @IsVersion()
  version: number;
}

/** The rules between the fields, each problem under the field it concerns; empty when the move is well formed. */
export function statusChangeProblems(dto: ComplaintStatusDto): FieldErrors {
  const problems: FieldErrors = {};
  const closing = isClosed(dto.status);
  if (closing && !dto.publicOutcome) problems.publicOutcome = [`publicOutcome is required to mark a complaint ${dto.status}: say, for the public, what was found`];
  if (!closing && dto.publicOutcome) problems.publicOutcome = ['publicOutcome is given when the complaint is upheld or dismissed, not while it is investigated'];
  if (dto.action && dto.status !== 'upheld') problems.action = ['action goes only with status upheld: only an upheld complaint suspends or revokes a verification'];
  if (dto.reason && !dto.action) problems.reason = ['reason is the public reason for an action; give it only with action suspend or revoke'];
  return problems;
}
