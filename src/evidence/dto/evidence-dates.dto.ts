import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalDate, IsOptionalNote } from './evidence-fields.decorators';

/** What every new revision states: from when it holds, until when, and what changed. */
export class EvidenceDatesDto {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD; today when not given' })
  @IsOptionalDate()
  effectiveDate?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD, the first day the evidence no longer holds' })
  @IsOptionalDate()
  expiresAt?: string;

  @ApiPropertyOptional({ description: 'What this revision changed' })
  @IsOptionalNote()
  note?: string;
}
