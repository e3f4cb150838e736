import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

/** A reviewer's conflict-of-interest statement about the provider of one assessment. */
export class DeclarationDto {
  @ApiProperty({ description: 'true if you have a conflict of interest with this provider: you then cannot review it' })
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'conflict must be true or false' })
  conflict: boolean;

  @ApiProperty({ description: 'The statement, in your words' })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'statement must say, in your words, whether you have any interest in this provider' })
  @MaxLength(5_000)
  statement: string;
}
