import { IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

export class EndAccreditationDto {
  /** Why the accreditation ends; kept in the record. */
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(2_000)
  reason: string;
}
