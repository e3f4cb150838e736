import { Type } from 'class-transformer';
import { IsIn, IsInt, Min } from 'class-validator';
import { ALL_ROLES } from '../roles';
import type { Role } from '../roles';

export class ChangeRoleDto {
  @IsIn(ALL_ROLES, { message: `role must be one of ${ALL_ROLES.join(', ')}` })
  role: Role;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}
