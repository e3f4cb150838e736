import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import type { Confidentiality } from '../entities/evidence.entity';
import { EvidenceDatesDto } from './evidence-dates.dto';
import { IsEvidenceTitle, IsOptionalConfidentiality, IsOptionalDescription } from './evidence-fields.decorators';

/** The fields of a new piece of evidence; a file arrives as multipart data with these as text fields. */
export class EvidenceFieldsDto extends EvidenceDatesDto {
  @ApiProperty()
  @IsEvidenceTitle()
  title: string;

  @ApiPropertyOptional()
  @IsOptionalDescription()
  description?: string;

  @ApiPropertyOptional({ enum: ['monitoring_body', 'public'], default: 'monitoring_body' })
  @IsOptionalConfidentiality()
  confidentiality?: Confidentiality;
}

/** A link or a text, sent as JSON. Files are uploaded as multipart data instead. */
export class CreateEvidenceDto extends EvidenceFieldsDto {
  @ApiProperty({ enum: ['link', 'text'] })
  @IsIn(['link', 'text'], { message: 'kind must be link or text (upload a file as multipart/form-data)' })
  kind: 'link' | 'text';

  @ApiPropertyOptional({ description: 'For a link' })
  @ValidateIf((dto: CreateEvidenceDto) => dto.kind === 'link')
  @Trim()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be a web address starting with http:// or https://' })
  @MaxLength(2_000)
  url?: string;

  @ApiPropertyOptional({ description: 'For a text' })
  @ValidateIf((dto: CreateEvidenceDto) => dto.kind === 'text')
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'text must not be empty' })
  @MaxLength(100_000)
  text?: string;
}
