import { IsEmail, IsString, Length } from 'class-validator';
import { IsPassword } from './password.decorator';

export class SetupOperatorDto {
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @IsString()
  @Length(1, 120)
  name: string;

  @IsPassword()
  password: string;
}
