import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { EvidenceDatesDto } from './evidence-dates.dto';

/** A new revision of a link or text, sent as JSON; a file's new revision is uploaded as multipart data. */
export class NewRevisionDto extends EvidenceDatesDto {
  @ApiPropertyOptional({ description: 'For a link' })
  @IsOptional()
  @Trim()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be a web address starting with http:// or https://' })
  @MaxLength(2_000)
  url?: string;

  @ApiPropertyOptional({ description: 'For a text' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'text must not be empty' })
  @MaxLength(100_000)
  text?: string;
}
