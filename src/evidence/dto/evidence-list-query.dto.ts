import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { EVIDENCE_KINDS, type EvidenceKind } from '../entities/evidence.entity';

export class EvidenceListQueryDto {
  @ApiPropertyOptional({ description: 'Words in the title or description' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: EVIDENCE_KINDS })
  @IsOptional()
  @IsIn(EVIDENCE_KINDS)
  kind?: EvidenceKind;
}
