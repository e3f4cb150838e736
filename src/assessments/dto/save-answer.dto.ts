import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CLAIMS, type Claim } from '../entities/answer.entity';
import { IsVersion } from '../../common/validation/version.decorator';

const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value);

/** The whole answer to one requirement, based on the version it was read at. */
export class SaveAnswerDto {
  @ApiPropertyOptional({ enum: CLAIMS, nullable: true })
  @Transform(emptyToNull)
  @IsOptional()
  @IsIn(CLAIMS, { message: `claim must be one of: ${CLAIMS.join(', ')}` })
  claim?: Claim | null;

  @ApiPropertyOptional({ nullable: true, description: 'How the requirement is met' })
  @Transform(emptyToNull)
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  statement?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'Why the requirement does not apply; required with not_applicable' })
  @Transform(emptyToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  justification?: string | null;

  @ApiProperty({ type: [String], description: 'Evidence from your library backing the answer' })
  @Transform(({ value }) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value.filter((id) => id !== '') : [value]))
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'each of evidenceIds must be the id of evidence in your library' })
  evidenceIds: string[] = [];

  @ApiProperty({ description: 'The version of the answer this change is based on' })
  @IsVersion()
  version: number;
}

export class SectionAnswerDto extends SaveAnswerDto {
  @ApiProperty()
  @IsString()
  @MaxLength(100)
  requirementKey: string;
}
