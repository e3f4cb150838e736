import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { ApiToken, TokenScope } from './entities/api-token.entity';
import { AuthErrorCode, AuthException, tokenCreatorSuspended } from './auth.exception';

export const TOKEN_PREFIX = 'adh_';

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    @InjectRepository(ApiToken) private readonly directory: Repository<ApiToken>,
  ) {}

  /**
   * Resolves a presented token before the request's transaction; refuses unknown, expired and revoked
   * ones. The transaction then holds the token (CredentialHold), and checks it again once held.
   */
  async authenticate(token: string): Promise<ApiToken> {
    const found = token.startsWith(TOKEN_PREFIX) ? await this.directory.findOneBy({ tokenHash: hashSecretToken(token) }) : null;
    if (!found) throw new AuthException(AuthErrorCode.TokenInvalid, 'The API token is not valid.');
    if (found.revokedAt) throw new AuthException(AuthErrorCode.TokenRevoked, 'The API token has been revoked.');
    if (found.expiresAt && found.expiresAt.getTime() <= Date.now()) {
      throw new AuthException(AuthErrorCode.TokenExpired, `The API token expired on ${found.expiresAt.toISOString()}.`);
    }
    if (found.createdBy && (await this.creatorSuspended(found.createdBy))) throw tokenCreatorSuspended();
    // Recorded at most once a minute, so that a busy token does not write on every call. The update
    // takes a weaker lock than the requests holding the token, so it never waits for them.
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
      await this.directory.update({ id: found.id, revokedAt: IsNull() }, { lastUsedAt: new Date() });
    }
    return found;
  }

  private async creatorSuspended(userId: string): Promise<boolean> {
    const rows = (await this.directory.manager.query(`SELECT 1 FROM users WHERE id = $1 AND suspended_at IS NOT NULL`, [userId])) as unknown[];
    return rows.length > 0;
  }

  async create(name: string, scopes: TokenScope[], expiresAt?: Date): Promise<{ apiToken: ApiToken; token: string }> {
    const { token, hash } = newSecretToken(TOKEN_PREFIX);
    const repository = this.tx.manager.getRepository(ApiToken);
    const apiToken = await repository.save(
      repository.create({
        organizationId: this.context.organizationId,
        name: name.trim(),
        tokenHash: hash,
        tokenPrefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes: [...new Set(scopes)],
        createdBy: this.context.userId ?? null,
        expiresAt: expiresAt ?? null,
      }),
    );
    await this.audit.record({ action: 'api_token.created', targetType: 'api_token', targetId: apiToken.id, data: { name: apiToken.name, scopes: apiToken.scopes } });
    return { apiToken, token };
  }

  list(): Promise<ApiToken[]> {
    return this.tx.manager.getRepository(ApiToken).find({ where: { organizationId: this.context.organizationId }, order: { createdAt: 'DESC' } });
  }

  /**
   * Revokes a token once the requests it authorised that are still running are done: they hold its row,
   * which this locks FOR UPDATE. When this returns, no request acts with the token any more.
   */
  async revoke(id: string): Promise<void> {
    const repository = this.tx.manager.getRepository(ApiToken);
    const apiToken = await repository.findOne({ where: { id, organizationId: this.context.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!apiToken) throw new AuthException(AuthErrorCode.TokenNotFound, 'No such API token in this organization.');
    if (apiToken.revokedAt) return;
    await repository.update({ id, organizationId: apiToken.organizationId }, { revokedAt: new Date() });
    await this.audit.record({ action: 'api_token.revoked', targetType: 'api_token', targetId: id, data: { name: apiToken.name } });
  }
}
