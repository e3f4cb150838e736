import { IsIn } from 'class-validator';
import { ALL_ROLES } from '../../access/roles';
import type { Role } from '../../access/roles';
import { IsVersion } from '../../common/validation/version.decorator';

export class ChangeRoleDto {
  @IsIn(ALL_ROLES, { message: `role must be one of ${ALL_ROLES.join(', ')}` })
  role: Role;

  @IsVersion()
  version: number;
}
