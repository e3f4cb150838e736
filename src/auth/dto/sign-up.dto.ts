import { Trim } from '../../common/validation/trim.decorator';
import { Type } from 'class-transformer';
import { IsEmail, IsNotEmptyObject, IsString, Length, ValidateNested } from 'class-validator';
import { NewOrganizationDto } from '../../tenancy/dto/new-organization.dto';
import { IsPassword } from './password.decorator';

export class SignUpDto {
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email: string;

  @IsPassword()
  password: string;

  @Trim()
  @IsString()
  @Length(1, 120)
  name: string;

  @IsNotEmptyObject({}, { message: 'organization is required' })
  @ValidateNested()
  @Type(() => NewOrganizationDto)
  organization: NewOrganizationDto;
}
