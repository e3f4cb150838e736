import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { CONFIDENTIALITIES, type Confidentiality } from '../entities/evidence.entity';
import { IsEvidenceTitle, IsOptionalDescription } from './evidence-fields.decorators';
import { IsVersion } from '../../common/validation/version.decorator';

/** What can change about a piece of evidence without a new revision. */
export class UpdateEvidenceDto {
  // Absent keeps the title; null is not a title.
  @ApiPropertyOptional()
  @ValidateIf((_dto, value) => value !== undefined)
  @IsEvidenceTitle()
  title?: string;

  @ApiPropertyOptional()
  @IsOptionalDescription()
  description?: string | null;

  @ApiPropertyOptional({ enum: ['monitoring_body', 'public'] })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsIn(CONFIDENTIALITIES, { message: `confidentiality must be one of: ${CONFIDENTIALITIES.join(', ')}` })
  confidentiality?: Confidentiality;

  @ApiProperty({ description: 'The version this change is based on' })
  @IsVersion()
  version: number;
}
