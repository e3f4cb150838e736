import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { Type } from 'class-transformer';
import type { Confidentiality } from '../entities/evidence.entity';
import { IsEvidenceTitle, IsOptionalConfidentiality, IsOptionalDescription } from './evidence-fields.decorators';

/** What can change about a piece of evidence without a new revision. */
export class UpdateEvidenceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEvidenceTitle()
  title?: string;

  @ApiPropertyOptional()
  @IsOptionalDescription()
  description?: string | null;

  @ApiPropertyOptional({ enum: ['monitoring_body', 'public'] })
  @IsOptionalConfidentiality()
  confidentiality?: Confidentiality;

  @ApiProperty({ description: 'The version this change is based on' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}
