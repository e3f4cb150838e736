import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { IsVersion } from '../../common/validation/version.decorator';

/** What the register says about one section once the assessment is verified. */
export class SectionSummaryDto {
  @ApiProperty()
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'publicSummary must say what the public may know about this section' })
  @MaxLength(5_000)
  publicSummary: string;

  @ApiPropertyOptional({ description: 'The version of the summary this change is based on; a stale one is a 409' })
  @IsOptional()
  @IsVersion()
  version?: number;
}
