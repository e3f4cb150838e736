import { Type } from 'class-transformer';
import { IsNotEmptyObject, IsString, Length, ValidateNested } from 'class-validator';
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
