import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';

/** A second factor given as a code: six digits from the authenticator app, or a recovery code. */
export class SecondFactorCodeDto {
  @ApiProperty({ description: 'The six-digit code the authenticator app shows now, or an unused recovery code' })
  @IsString({ message: 'code must be text' })
  @Length(6, 40, { message: 'code must be the six digits from your authenticator app or a recovery code' })
  code: string;
}

/** Removing a factor takes the password and a factor. */
export class RemoveSecondFactorDto extends SecondFactorCodeDto {
  @IsString({ message: 'password must be text' })
  @MinLength(1, { message: 'password is required' })
  password: string;
}

/** The sign-in's second page carries where to go afterwards. */
export class SecondFactorCodeFormDto extends SecondFactorCodeDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}
