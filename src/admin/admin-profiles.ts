import { Injectable } from '@nestjs/common';
import { UserSessions } from '../auth/user-sessions';
import { SignInThrottle } from '../auth/sign-in-throttle';
import { TransactionHost } from '../database/transaction-host';
import { organizationNotFound, userNotFound } from './admin.exception';

export interface UserProfile {
  id: string;
  email: string;
  name: string;
  isOperator: boolean;
  createdAt: Date;
  suspendedAt: Date | null;
  suspendedReason: string | null;
  /** The sign-in of the account is paused from some networks until then (repeated wrong passwords). */
  lockedUntil: Date | null;
  sessions: number;
  memberships: Array<{ organizationId: string; slug: string; name: string; kind: string; role: string; since: Date }>;
}

export interface OrganizationProfile {
  id: string;
  slug: string;
  name: string;
  kind: 'provider' | 'monitoring_body';
  country: string | null;
  website: string | null;
  createdAt: Date;
  suspendedAt: Date | null;
  suspendedReason: string | null;
  members: Array<{ userId: string; email: string; name: string; role: string; suspendedAt: Date | null }>;
}

/** One account or organization as the operator sees it, to help or to stop it. */
@Injectable()
export class AdminProfiles {
  constructor(
    private readonly tx: TransactionHost,
    private readonly sessions: UserSessions,
    private readonly throttle: SignInThrottle,
  ) {}

  async user(id: string): Promise<UserProfile> {
    const manager = this.tx.manager;
    const [user] = (await manager.query(
      `SELECT id, email, name, is_operator AS "isOperator", created_at AS "createdAt", suspended_at AS "suspendedAt", suspended_reason AS "suspendedReason"
         FROM users WHERE id = $1`,
      [id],
    )) as Array<Omit<UserProfile, 'lockedUntil' | 'sessions' | 'memberships'>>;
    if (!user) throw userNotFound();
    const memberships = (await manager.query(
      `SELECT o.id AS "organizationId", o.slug, o.name, o.kind, m.role, m.created_at AS since
         FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 ORDER BY lower(o.name)`,
      [id],
    )) as UserProfile['memberships'];
    return { ...user, lockedUntil: await this.throttle.lockedUntil(id), sessions: await this.sessions.count(id), memberships };
  }

  async organization(id: string): Promise<OrganizationProfile> {
    const manager = this.tx.manager;
    const [organization] = (await manager.query(
      `SELECT id, slug, name, kind, country, website, created_at AS "createdAt", suspended_at AS "suspendedAt", suspended_reason AS "suspendedReason"
         FROM organizations WHERE id = $1`,
      [id],
    )) as Array<Omit<OrganizationProfile, 'members'>>;
    if (!organization) throw organizationNotFound();
    const members = (await manager.query(
      `SELECT u.id AS "userId", u.email, u.name, m.role, u.suspended_at AS "suspendedAt"
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 ORDER BY lower(u.name)`,
      [id],
    )) as OrganizationProfile['members'];
    return { ...organization, members };
  }
}
