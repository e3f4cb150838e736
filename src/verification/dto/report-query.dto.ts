import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar-date';

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** A reporting period, both days included; by default the twelve months up to today. */
export class ReportQueryDto {
  @ApiPropertyOptional({ format: 'date' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
