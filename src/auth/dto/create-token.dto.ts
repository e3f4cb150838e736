import { Trim } from '../../common/validation/trim.decorator';
import { Transform } from 'class-transformer';
import { ArrayMinSize, IsArray, IsDate, IsIn, IsOptional, IsString, Length, MinDate } from 'class-validator';
import { DateFromText } from '../../common/validation/from-text';
import type { TokenScope } from '../entities/api-token.entity';

export class CreateTokenDto {
  @Trim()
  @IsString()
  @Length(1, 80)
  name: string;

  // A form with one box ticked sends a single value.
  @Transform(({ value }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must contain read, write or both' })
  @IsIn(['read', 'write'], { each: true, message: 'each scope must be read or write' })
  scopes: TokenScope[];

  @IsOptional()
  @DateFromText()
  @IsDate({ message: 'expiresAt must be a date-time such as 2027-01-31T00:00:00Z' })
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}
