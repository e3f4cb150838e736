import { IsString, Matches, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { IsCalendarDate } from '../../common/validation/calendar-date';

export class AccreditDto {
  /** The monitoring body's slug. */
  @Trim()
  @IsString()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'organization must be the slug of a monitoring body' })
  @MaxLength(64)
  organization: string;

  /** First day of the accreditation (YYYY-MM-DD). */
  @IsCalendarDate()
  validFrom: string;

  /** Last day of the accreditation (YYYY-MM-DD), after validFrom. */
  @IsCalendarDate()
  validUntil: string;
}
