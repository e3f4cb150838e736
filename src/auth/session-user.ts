import type { MembershipSummary } from '../tenancy/memberships.service';
import type { SecondFactorMethod } from './second-factor-session';

/** What a session restores on each request: the person and the organizations they belong to. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isOperator: boolean;
  /** The account's address was proven; until it is, acts that bind an organization are refused. */
  emailVerified: boolean;
  memberships: MembershipSummary[];
  /** The second factors the person has enrolled (SecondFactors.methodsOf). */
  secondFactors: SecondFactorMethod[];
}
