import { IsString, MinLength } from 'class-validator';
import { IsPassword } from './password.decorator';

export class ChangePasswordDto {
  @IsString()
  @MinLength(1, { message: 'currentPassword is required' })
  currentPassword: string;

  @IsPassword()
  newPassword: string;
}
