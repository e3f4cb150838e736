import { Injectable } from '@nestjs/common';
import { isRoleOf } from '../access/roles';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { ClientSecretBox } from './client-secret-box';
import { SsoSettingsDto, SsoRole } from './dto/sso-settings.dto';
import { IdentityProviders } from './identity-providers';
import { DomainClaim, SsoDomains } from './sso-domains';
import { SsoErrorCode, SsoException } from './sso.exception';

export interface SsoSettings {
  issuer: string;
  clientId: string;
  defaultRole: SsoRole;
  ssoOnly: boolean;
  version: number;
  updatedAt: Date;
  domains: DomainClaim[];
}

interface StoredSettings extends Omit<SsoSettings, 'domains'> {
  sealedSecret: string;
}

const COLUMNS = `issuer, client_id AS "clientId", client_secret_sealed AS "sealedSecret", default_role AS "defaultRole",
  sso_only AS "ssoOnly", version, updated_at AS "updatedAt"`;

/**
 * An organization's OpenID Connect settings, kept by its owner (or a monitoring body's admin). Saving
 * checks the issuer by discovery first, so settings that cannot sign anyone in are never stored.
 */
@Injectable()
export class SsoSettingsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly domains: SsoDomains,
    private readonly providers: IdentityProviders,
    private readonly secrets: ClientSecretBox,
  ) {}

  async current(): Promise<SsoSettings | undefined> {
    const organizationId = this.context.organizationId;
    const stored = await this.stored(organizationId);
    if (!stored) return undefined;
    const { sealedSecret: _secret, ...settings } = stored;
    return { ...settings, domains: await this.domains.forOrganization(organizationId) };
  }

  /** The settings of an organization with its client secret opened, for a sign-in in its scope. */
  async forSignIn(organizationId: string): Promise<{ issuer: string; clientId: string; clientSecret: string; defaultRole: SsoRole } | undefined> {
    const stored = await this.stored(organizationId);
    return stored && { issuer: stored.issuer, clientId: stored.clientId, clientSecret: this.secrets.open(stored.sealedSecret), defaultRole: stored.defaultRole };
  }

  async save(dto: SsoSettingsDto): Promise<SsoSettings> {
    const organization = this.context.organization;
    if (!isRoleOf(organization.kind, dto.defaultRole)) {
      const message = organization.kind === 'provider' ? 'defaultRole must be editor or viewer for a provider' : 'defaultRole must be reviewer for a monitoring body';
      throw new SsoException(SsoErrorCode.RoleNotAllowed, message, { defaultRole: [message] });
    }
    const existing = await this.stored(organization.id, true);
    if (existing && dto.version !== existing.version) {
      throw new SsoException(
        SsoErrorCode.StaleVersion,
        `The single sign-on settings changed since you read them (now version ${existing.version}, last saved ${existing.updatedAt.toISOString()}); read them again and repeat your change.`,
        { version: [`version must be ${existing.version}, the current one`] },
      );
    }
    const clientSecret = dto.clientSecret || (existing && this.secrets.open(existing.sealedSecret));
    if (!clientSecret) {
      throw new SsoException(SsoErrorCode.SecretRequired, 'clientSecret is required the first time single sign-on is set up.', { clientSecret: ['clientSecret is required'] });
    }
    // Before anything is written: settings whose provider cannot be discovered are refused.
    await this.providers.configuration({ issuer: dto.issuer, clientId: dto.clientId, clientSecret });
    const values = [organization.id, dto.issuer, dto.clientId, this.secrets.seal(clientSecret), dto.defaultRole, dto.ssoOnly ?? false, this.context.userId ?? null];
    // The row is locked when it exists; a first save that loses a race to another finds it there and is a 409.
    const result = (await this.tx.manager.query(
      existing
        ? `UPDATE sso_configs SET issuer = $2, client_id = $3, client_secret_sealed = $4, default_role = $5, sso_only = $6, updated_by = $7,
             version = version + 1, updated_at = now() WHERE organization_id = $1 RETURNING version`
        : `INSERT INTO sso_configs (organization_id, issuer, client_id, client_secret_sealed, default_role, sso_only, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (organization_id) DO NOTHING RETURNING version`,
      values,
    )) as unknown[];
    // TypeORM answers an UPDATE with [rows, count] and an INSERT with its rows.
    const written = existing ? (result[0] as unknown[]) : result;
    if (written.length === 0) {
      throw new SsoException(SsoErrorCode.StaleVersion, 'Someone else set up single sign-on for this organization a moment ago; read the settings and repeat your change.', {
        version: ['someone else saved first'],
      });
    }
    await this.domains.claimExactly(organization.id, dto.domains, this.context.userId);
    await this.audit.record({
      action: existing ? 'sso.updated' : 'sso.configured',
      targetType: 'sso_config',
      targetId: organization.id,
      data: { issuer: dto.issuer, clientId: dto.clientId, domains: dto.domains, defaultRole: dto.defaultRole, ssoOnly: dto.ssoOnly ?? false, secretChanged: Boolean(dto.clientSecret) },
    });
    return (await this.current())!;
  }

  async remove(): Promise<void> {
    const organizationId = this.context.organizationId;
    const [deleted] = (await this.tx.manager.query(`DELETE FROM sso_configs WHERE organization_id = $1 RETURNING organization_id`, [organizationId])) as [unknown[], number];
    if (deleted.length === 0) throw this.notConfigured();
    await this.domains.releaseAll(organizationId);
    await this.audit.record({ action: 'sso.removed', targetType: 'sso_config', targetId: organizationId });
  }

  notConfigured(): SsoException {
    return new SsoException(SsoErrorCode.NotConfigured, 'This organization has not set up single sign-on.');
  }

  private async stored(organizationId: string, lock = false): Promise<StoredSettings | undefined> {
    const [row] = (await this.tx.manager.query(`SELECT ${COLUMNS} FROM sso_configs WHERE organization_id = $1${lock ? ' FOR UPDATE' : ''}`, [organizationId])) as StoredSettings[];
    return row;
  }
}
