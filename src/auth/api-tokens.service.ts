import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { ApiToken, TokenScope } from './api-token.entity';
import { AuthErrorCode, AuthException } from './auth.exception';

export const TOKEN_PREFIX = 'adh_';

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    @InjectRepository(ApiToken) private readonly directory: Repository<ApiToken>,
  ) {}

  /** Resolves a presented token before the request's transaction; refuses unknown, expired and revoked ones. */
  async authenticate(token: string): Promise<ApiToken> {
    const found = token.startsWith(TOKEN_PREFIX) ? await this.directory.findOneBy({ tokenHash: hashSecretToken(token) }) : null;
    if (!found) throw new AuthException(AuthErrorCode.TokenInvalid, 'The API token is not valid.');
    if (found.revokedAt) throw new AuthException(AuthErrorCode.TokenRevoked, 'The API token has been revoked.');
    if (found.expiresAt && found.expiresAt.getTime() <= Date.now()) {
      throw new AuthException(AuthErrorCode.TokenExpired, `The API token expired on ${found.expiresAt.toISOString()}.`);
    }
    // Recorded at most once a minute, so that a busy token does not write on every call.
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
      await this.directory.update({ id: found.id }, { lastUsedAt: new Date() });
    }
    return found;
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

  async revoke(id: string): Promise<void> {
    const repository = this.tx.manager.getRepository(ApiToken);
    const apiToken = await repository.findOneBy({ id, organizationId: this.context.organizationId });
    if (!apiToken) throw new AuthException(AuthErrorCode.TokenNotFound, 'No such API token in this organization.');
    const result = await repository.update({ id, organizationId: apiToken.organizationId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (result.affected) await this.audit.record({ action: 'api_token.revoked', targetType: 'api_token', targetId: id, data: { name: apiToken.name } });
  }
}
