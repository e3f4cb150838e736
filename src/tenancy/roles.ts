import type { OrganizationKind } from '../common/request-context';
import { TenancyErrorCode, TenancyException } from './tenancy.exception';

export const PROVIDER_ROLES = ['owner', 'editor', 'viewer'] as const;
export const MONITORING_BODY_ROLES = ['admin', 'reviewer'] as const;
export type ProviderRole = (typeof PROVIDER_ROLES)[number];
export type MonitoringBodyRole = (typeof MONITORING_BODY_ROLES)[number];
export type Role = ProviderRole | MonitoringBodyRole;
export const ALL_ROLES: readonly Role[] = [...PROVIDER_ROLES, ...MONITORING_BODY_ROLES];

/** The role an organization's creator gets. */
export const FOUNDING_ROLE: Record<OrganizationKind, Role> = { provider: 'owner', monitoring_body: 'admin' };

export function rolesFor(kind: OrganizationKind): readonly Role[] {
  return kind === 'provider' ? PROVIDER_ROLES : MONITORING_BODY_ROLES;
}

export function isRoleOf(kind: OrganizationKind, role: string): role is Role {
  return (rolesFor(kind) as readonly string[]).includes(role);
}

/** Refuses a role that the kind of organization does not have (a reviewer in a provider, say). */
export function assertRoleOf(kind: OrganizationKind, role: string): asserts role is Role {
  if (isRoleOf(kind, role)) return;
  const roles = rolesFor(kind).join(', ');
  throw new TenancyException(TenancyErrorCode.RoleNotForKind, `The role ${role} does not exist in a ${kind.replace('_', ' ')}; use ${roles}.`, {
    role: [`role must be one of ${roles}`],
  });
}
