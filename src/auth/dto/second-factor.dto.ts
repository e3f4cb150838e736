import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmptyObject, IsOptional, IsString, Length, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { AuthenticationResponseDto } from '../passkeys/dto/webauthn-response.dto';

/** A second factor given as a code: six digits from the authenticator app, or a recovery code. */
export class SecondFactorCodeDto {
  @ApiProperty({ description: 'The six-digit code the authenticator app shows now, or an unused recovery code' })
  @IsString({ message: 'code must be text' })
  @Length(6, 40, { message: 'code must be the six digits from your authenticator app or a recovery code' })
  code: string;
}

/** A factor proved now: a code, or a passkey's answer to the session's step-up challenge; exactly one (SecondFactorProof). */
export class FactorProofDto {
  @ApiPropertyOptional({ description: 'The six-digit code the authenticator app shows now, or an unused recovery code' })
  @IsOptional()
  @IsString({ message: 'code must be text' })
  @Length(0, 40, { message: 'code must be the six digits from your authenticator app or a recovery code' })
  code?: string;

  @ApiPropertyOptional({ description: 'A passkey’s answer to POST /api/v1/auth/step-up/passkey/options' })
  @IsOptional()
  @IsNotEmptyObject({}, { message: 'response must be a passkey’s answer' })
  @ValidateNested()
  @Type(() => AuthenticationResponseDto)
  response?: AuthenticationResponseDto;
}

/** Removing a factor takes the password and a factor. */
export class RemoveSecondFactorDto extends FactorProofDto {
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
