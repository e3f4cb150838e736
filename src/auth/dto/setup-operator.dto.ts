import { Trim } from '../../common/validation/trim.decorator';
import { IsEmail, IsString, Length } from 'class-validator';
import { IsPassword } from './password.decorator';

export class SetupOperatorDto {
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @Trim()
  @IsString()
  @Length(1, 120)
  name: string;

  @IsPassword()
  password: string;
}
