import { Trim } from '../../common/validation/trim.decorator';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsPassword } from './password.decorator';

/** Signed-in people accept with an empty body; newcomers give the name and password of their account. */
export class AcceptInvitationDto {
  @Trim()
  @IsOptional()
  @IsString()
  @Length(1, 120)
  name?: string;

  @IsOptional()
  @IsPassword()
  password?: string;
}
