import type { OrganizationKind } from '../common/request-context';

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
