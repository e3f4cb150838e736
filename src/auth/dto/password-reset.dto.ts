import { IsEmail, Length, Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { IsPassword } from './password.decorator';

export class RequestPasswordResetDto {
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email: string;
}

export class ResetPasswordDto {
  @IsPassword()
  password: string;
}

@ValidatorConstraint({ name: 'repeatsPassword' })
class RepeatsPassword implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return value === (args.object as ResetPasswordDto).password;
  }

  defaultMessage(): string {
    return 'confirmation must repeat the new password exactly';
  }
}

/** The page asks for the new password twice, so that a typing slip does not lock its owner out again. */
export class ResetPasswordFormDto extends ResetPasswordDto {
  @Validate(RepeatsPassword)
  confirmation: string;
}
