import { Invitation } from './entities/invitation.entity';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';

/** The public shapes of tenancy records, shared by the API and the pages. */
export const userJson = (user: User) => ({ id: user.id, email: user.email, name: user.name });

export const organizationJson = (organization: Organization) => ({
  id: organization.id,
  slug: organization.slug,
  name: organization.name,
  kind: organization.kind,
  country: organization.country,
  website: organization.website,
  requireMfa: organization.requireMfa,
  requireStepUp: organization.requireStepUp,
  version: organization.version,
});

export function invitationStatus(invitation: Invitation): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  return invitation.expiresAt.getTime() <= Date.now() ? 'expired' : 'pending';
}

export const invitationJson = (invitation: Invitation) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  status: invitationStatus(invitation),
  expiresAt: invitation.expiresAt,
  createdAt: invitation.createdAt,
});
