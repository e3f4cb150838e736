import { Type } from 'class-transformer';
import { IsNotEmptyObject, IsString, Length, MinLength, ValidateNested } from 'class-validator';
import { VisibleName } from '../../../common/validation/name.decorator';
import { AuthenticationResponseDto, RegistrationResponseDto } from './webauthn-response.dto';

export class EnrolPasskeyDto {
  @VisibleName()
  @IsString()
  @Length(1, 100)
  name: string;

  @IsNotEmptyObject({}, { message: 'response is required' })
  @ValidateNested()
  @Type(() => RegistrationResponseDto)
  response: RegistrationResponseDto;
}

/** A passkey's answer to a challenge: a sign-in, or a second factor proved again. */
export class PasskeyAssertionDto {
  @IsNotEmptyObject({}, { message: 'response is required' })
  @ValidateNested()
  @Type(() => AuthenticationResponseDto)
  response: AuthenticationResponseDto;
}

/**
 * Removing a factor: the password and a factor proved now. A passkey's answer to a step-up challenge
 * is the factor for now; other factors join the one function that checks it (SecondFactorProof).
 */
export class RemovePasskeyDto extends PasskeyAssertionDto {
  @IsString()
  @MinLength(1, { message: 'password is required' })
  password: string;
}
