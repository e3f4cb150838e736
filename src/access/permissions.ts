import type { OrganizationKind } from '../common/request-context';
import { rolesFor, type Role } from './roles';

export enum Permission {
  OrganizationRead = 'organization.read',
  OrganizationUpdate = 'organization.update',
  MembersRead = 'members.read',
  MembersManage = 'members.manage',
  TokensManage = 'tokens.manage',
  AuditRead = 'audit.read',
  ServicesRead = 'services.read',
  ServicesManage = 'services.manage',
  EvidenceRead = 'evidence.read',
  EvidenceManage = 'evidence.manage',
  AssessmentsRead = 'assessments.read',
  AssessmentsEdit = 'assessments.edit',
  AssessmentsSign = 'assessments.sign',
  ReviewsRead = 'reviews.read',
  ReviewsAssign = 'reviews.assign',
  ReviewsConduct = 'reviews.conduct',
  VerificationsManage = 'verifications.manage',
  ReportsRead = 'reports.read',
  ComplaintsRead = 'complaints.read',
  ComplaintsHandle = 'complaints.handle',
}

/**
 * What an API token needs to use a permission: a scope, or `member` for administration that only a
 * signed-in person may do (a token must never be able to mint tokens or change who belongs).
 */
export const TOKEN_REQUIREMENT: Record<Permission, 'read' | 'write' | 'member'> = {
  [Permission.OrganizationRead]: 'read',
  [Permission.OrganizationUpdate]: 'member',
  [Permission.MembersRead]: 'read',
  [Permission.MembersManage]: 'member',
  [Permission.TokensManage]: 'member',
  [Permission.AuditRead]: 'read',
  [Permission.ServicesRead]: 'read',
  [Permission.ServicesManage]: 'write',
  [Permission.EvidenceRead]: 'read',
  [Permission.EvidenceManage]: 'write',
  [Permission.AssessmentsRead]: 'read',
  [Permission.AssessmentsEdit]: 'write',
  // Submitting or withdrawing a declaration is a named person's act, never a script's.
  [Permission.AssessmentsSign]: 'member',
  [Permission.ReviewsRead]: 'read',
  // Assigning, reviewing, deciding and acting on a verification are a named person's acts too.
  [Permission.ReviewsAssign]: 'member',
  [Permission.ReviewsConduct]: 'member',
  [Permission.VerificationsManage]: 'member',
  [Permission.ReportsRead]: 'read',
  [Permission.ComplaintsRead]: 'read',
  // Ruling on a complaint, and the suspension or revocation it may bring, is a named person's act.
  [Permission.ComplaintsHandle]: 'member',
};

const EVERYONE = [Permission.OrganizationRead, Permission.MembersRead];
const ADMINISTRATION = [Permission.OrganizationUpdate, Permission.MembersManage, Permission.TokensManage, Permission.AuditRead];

/** What a provider's team reads: its services, evidence and declarations. */
const PROVIDER_READING = [Permission.ServicesRead, Permission.EvidenceRead, Permission.AssessmentsRead];

/** What a provider's team does: describe its services, keep its evidence, and prepare declarations. */
const PROVIDER_WORK = [...PROVIDER_READING, Permission.ServicesManage, Permission.EvidenceManage, Permission.AssessmentsEdit];

/** What every member of a monitoring body does: follow its queue, review what it is assigned, and read complaints. */
const REVIEWING = [Permission.ReviewsRead, Permission.ReviewsConduct, Permission.ComplaintsRead];

/** What a monitoring body's admins add: who reviews what, acting on verified status, reporting, and ruling on complaints. */
const SUPERVISING = [Permission.ReviewsAssign, Permission.VerificationsManage, Permission.ReportsRead, Permission.ComplaintsHandle];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Owners sign declarations for their organization; editors prepare them.
  owner: [...EVERYONE, ...ADMINISTRATION, ...PROVIDER_WORK, Permission.AssessmentsSign],
  editor: [...EVERYONE, ...PROVIDER_WORK],
  viewer: [...EVERYONE, ...PROVIDER_READING],
  admin: [...EVERYONE, ...ADMINISTRATION, ...REVIEWING, ...SUPERVISING],
  reviewer: [...EVERYONE, ...REVIEWING],
};

/** Whether a role grants a permission; no role (an API token reading a page) grants nothing. */
export function roleAllows(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && ROLE_PERMISSIONS[role].includes(permission);
}

/** Whether any role of this kind of organization grants the permission. */
export function kindAllows(kind: OrganizationKind, permission: Permission): boolean {
  return rolesFor(kind).some((role) => roleAllows(role, permission));
}

/**
 * Whether an API token may use a permission: its scopes must cover it, and some role of its kind of
 * organization must grant it (a provider's read token never reads a monitoring body's queue).
 */
export function tokenAllows(scopes: readonly string[], permission: Permission, kind: OrganizationKind): boolean {
  if (!kindAllows(kind, permission)) return false;
  const needed = TOKEN_REQUIREMENT[permission];
  if (needed === 'member') return false;
  // A write token can also read.
  return scopes.includes(needed) || (needed === 'read' && scopes.includes('write'));
}
