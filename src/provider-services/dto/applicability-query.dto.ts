import { PartialType } from '@nestjs/swagger';
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

/** A service's page: which version of which code to show (every code's current version by default). */
export class ServicePageQueryDto extends PartialType(ApplicabilityQueryDto) {}
