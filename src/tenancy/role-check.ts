import type { OrganizationKind } from '../common/request-context';
import { isRoleOf, rolesFor, type Role } from '../access/roles';
import { TenancyErrorCode, TenancyException } from './tenancy.exception';

/** Refuses a role that the kind of organization does not have (a reviewer in a provider, say). */
export function assertRoleOf(kind: OrganizationKind, role: string): asserts role is Role {
  if (isRoleOf(kind, role)) return;
  const roles = rolesFor(kind).join(', ');
  throw new TenancyException(TenancyErrorCode.RoleNotForKind, `The role ${role} does not exist in a ${kind.replace('_', ' ')}; use ${roles}.`, {
    role: [`role must be one of ${roles}`],
  });
}
