import { Trim } from '../../common/validation/trim.decorator';
import { IsEmail, IsIn } from 'class-validator';
import { ALL_ROLES } from '../../access/roles';
import type { Role } from '../../access/roles';

export class CreateInvitationDto {
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @IsIn(ALL_ROLES, { message: `role must be one of ${ALL_ROLES.join(', ')}` })
  role: Role;
}
