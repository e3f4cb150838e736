import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { Equals, IsDefined, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

export class SignatoryDto {
  @ApiProperty({ description: 'The full name of the person signing for the organization' })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'signatory.name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ description: 'Their title or function', example: 'Chief Executive Officer' })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'signatory.title must not be empty' })
  @MaxLength(200)
  title: string;

  @ApiProperty({ description: 'The signatory confirms the declaration is true and complete', enum: [true] })
  // A checkbox sends "on" or "true".
  @Transform(({ value }) => (value === 'on' || value === 'true' ? true : value))
  @Equals(true, { message: 'signatory.confirm must be true: the signatory confirms the declaration is true and complete' })
  confirm: boolean;
}

export class SubmitAssessmentDto {
  @ApiProperty({ type: SignatoryDto })
  @IsDefined({ message: 'signatory is required: name, title and confirm' })
  // A list would pass the nested checks as if it were an empty signatory.
  @IsObject({ message: 'signatory must be an object with name, title and confirm' })
  @ValidateNested()
  @Type(() => SignatoryDto)
  signatory: SignatoryDto;
}
