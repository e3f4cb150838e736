import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ApplicabilityQueryDto {
  /** The code's slug. */
  @IsString()
  @MaxLength(64)
  code: string;

  /** The code version; by default its current published version. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  version?: string;
}
