import type { MembershipSummary } from '../tenancy/memberships.service';

/** What a session restores on each request: the person and the organizations they belong to. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isOperator: boolean;
  /** The account's address was proven; until it is, acts that bind an organization are refused. */
  emailVerified: boolean;
  memberships: MembershipSummary[];
}
