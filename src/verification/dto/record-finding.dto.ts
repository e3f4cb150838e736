import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsVersion } from '../../common/validation/version.decorator';
import { VERDICTS, type Verdict } from '../entities/finding.entity';

const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value);

/** The reviewer's verdict on one requirement in the current round. */
export class RecordFindingDto {
  @ApiProperty({ enum: VERDICTS })
  @IsIn(VERDICTS, { message: `verdict must be one of: ${VERDICTS.join(', ')}` })
  verdict: Verdict;

  @ApiPropertyOptional({ nullable: true, description: 'What the provider reads; required unless the verdict is accepted' })
  @Transform(emptyToNull)
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  comment?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'Only the monitoring body ever reads it; empty removes it' })
  @Transform(emptyToNull)
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  internalNote?: string | null;

  @ApiPropertyOptional({ description: 'The version of the finding this change is based on; a stale one is a 409' })
  @IsOptional()
  @IsVersion()
  version?: number;
}
