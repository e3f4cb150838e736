import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

/** A reason that is required: a suspension, a revocation or a returned decision. */
export class ReasonDto {
  @ApiProperty()
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'reason must say why' })
  @MaxLength(5_000)
  reason: string;
}

/** A reason that may be given: a reinstatement. */
export class OptionalReasonDto {
  @ApiPropertyOptional()
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  reason?: string;
}
