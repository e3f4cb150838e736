import { IsEmail, IsString, Length, MinLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

export class ChangeEmailDto {
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email: string;

  /** Asked again: whoever finds a signed-in browser must not be able to move the account's mail elsewhere. */
  @IsString()
  @MinLength(1, { message: 'password is required' })
  password: string;
}
