import { applyDecorators } from '@nestjs/common';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar-date';
import { Trim } from '../../common/validation/trim.decorator';
import { CONFIDENTIALITIES } from '../entities/evidence.entity';

export const IsEvidenceTitle = () => applyDecorators(Trim(), IsString(), IsNotEmpty({ message: 'title must not be empty' }), MaxLength(200));

export const IsOptionalDescription = () => applyDecorators(IsOptional(), Trim(), IsString(), MaxLength(5_000));

export const IsOptionalConfidentiality = () =>
  applyDecorators(
    IsOptional(),
    IsIn(CONFIDENTIALITIES, { message: `confidentiality must be one of: ${CONFIDENTIALITIES.join(', ')} (monitoring_body keeps it between you and your monitoring body)` }),
  );

/** A calendar date; an empty form field counts as not given. */
export const IsOptionalDate = () =>
  applyDecorators(
    ValidateIf((_object, value) => value !== undefined && value !== null && value !== ''),
    IsCalendarDate(),
  );

export const IsOptionalNote = () => applyDecorators(IsOptional(), Trim(), IsString(), MaxLength(2_000));
