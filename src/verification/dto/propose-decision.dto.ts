import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar-date';
import { Trim } from '../../common/validation/trim.decorator';
import type { Outcome } from '../entities/decision.entity';

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' || value === null ? undefined : value);

/** The lead reviewer's proposal; it is final only once the second reviewer approves it. */
export class ProposeDecisionDto {
  @ApiProperty({ enum: ['verified', 'rejected'] })
  @IsIn(['verified', 'rejected'], { message: 'outcome must be verified or rejected' })
  outcome: Outcome;

  @ApiPropertyOptional({ description: 'The level granted (verified only); defaults to the highest level earned' })
  @Transform(({ value }) => (value === '' || value === null || value === undefined ? undefined : Number(value)))
  @IsOptional()
  @IsInt({ message: 'level must be a whole number' })
  @Min(1)
  @Max(20)
  level?: number;

  @ApiPropertyOptional({ description: 'The last day the verification holds (verified only); defaults to 12 months from today' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsCalendarDate()
  validUntil?: string;

  @ApiPropertyOptional({ description: 'Conditions attached to the verification (verified only)' })
  @Transform(emptyToUndefined)
  @ValidateIf((dto: ProposeDecisionDto) => dto.conditions !== undefined)
  @Trim()
  @IsString()
  @MaxLength(5_000)
  conditions?: string;

  @ApiProperty({ description: 'For the register; with a rejection, the reasons' })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'publicSummary must say what was decided and why' })
  @MaxLength(10_000)
  publicSummary: string;
}
