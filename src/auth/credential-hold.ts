import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Caller } from '../common/request-context';
import { TenantContext } from '../common/tenant-context';
import { RowScope, TransactionHost } from '../database/transaction-host';
import { MembershipsService } from '../tenancy/memberships.service';
import { AuthErrorCode, AuthException, tokenCreatorSuspended } from './auth.exception';

/**
 * Every transaction of a request holds what the request acts under, from its first statement to its
 * end: the API token, or the session and the membership in the organization (FOR KEY SHARE on their
 * rows). Whatever ends them locks the same rows more strongly — revoking a token (FOR UPDATE), signing
 * out or ending sessions with a password change (DELETE), removing a member (DELETE) or changing their
 * role (FOR UPDATE) — so it waits until the requests in flight are done, and once it is confirmed no
 * transaction acts under what it ended: one that starts later finds it gone and is refused. Bookkeeping
 * updates of the same rows (a token's last use, a session's expiry and contents) take a weaker lock,
 * which waits for no one.
 */
@Injectable()
export class CredentialHold implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly memberships: MembershipsService,
  ) {}

  onModuleInit(): void {
    this.tx.onOpen((scope) => this.hold(scope));
  }

  private async hold(scope: RowScope): Promise<void> {
    const caller = this.context.caller;
    if (caller?.tokenId) {
      // A token acts only in its own organization; elsewhere (a public page) it authorises nothing.
      if (scope.organizationId === caller.tokenOrganizationId) await this.holdToken(caller.tokenId);
      return;
    }
    if (caller?.userId && caller.sessionId) await this.holdSession(caller as Required<Pick<Caller, 'userId' | 'sessionId'>>, scope);
  }

  private async holdToken(tokenId: string): Promise<void> {
    const [token] = (await this.tx.manager.query(
      `SELECT t.revoked_at IS NOT NULL AS revoked, t.expires_at <= now() AS expired, u.suspended_at IS NOT NULL AS "creatorSuspended"
         FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by WHERE t.id = $1 FOR KEY SHARE OF t`,
      [tokenId],
    )) as Array<{ revoked: boolean; expired: boolean | null; creatorSuspended: boolean }>;
    if (!token) throw new AuthException(AuthErrorCode.TokenInvalid, 'The API token is not valid.');
    if (token.revoked) throw new AuthException(AuthErrorCode.TokenRevoked, 'The API token has been revoked.');
    if (token.expired) throw new AuthException(AuthErrorCode.TokenExpired, 'The API token has expired.');
    if (token.creatorSuspended) throw tokenCreatorSuspended();
  }

  private async holdSession(caller: { userId: string; sessionId: string }, scope: RowScope): Promise<void> {
    const held = await this.tx.manager.query(`SELECT 1 FROM sessions WHERE sid = $1 AND sess -> 'passport' ->> 'user' = $2 FOR KEY SHARE`, [caller.sessionId, caller.userId]);
    if ((held as unknown[]).length === 0) throw new AuthException(AuthErrorCode.NotSignedIn, 'Your session has ended; sign in again.');
    const organization = this.context.hasOrganization ? this.context.organization : undefined;
    if (!organization?.role || organization.id !== scope.organizationId) return;
    const role = await this.memberships.holdRole(organization.id, caller.userId);
    if (!role) throw new AuthException(AuthErrorCode.NotFound, 'No such organization, or you are not a member of it.');
    if (role !== organization.role) {
      throw new AuthException(AuthErrorCode.AccessChanged, `Your role in ${organization.name} changed to ${role} while this request was on its way, so it was not carried out; reload and try again.`);
    }
  }
}
