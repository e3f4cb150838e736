import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Organization } from '../tenancy/entities/organization.entity';
import { User } from '../tenancy/entities/user.entity';
import { MembershipsService } from '../tenancy/memberships.service';
import { UsersService } from '../tenancy/users.service';
import { SsoRole } from './dto/sso-settings.dto';
import { SsoErrorCode, SsoException } from './sso.exception';

export interface VouchedPerson {
  email: string;
  name: string;
  /** The provider's subject identifier, kept in the audit record. */
  subject: string;
}

/**
 * The account an identity provider vouched for: found by its address, or created on the first
 * sign-in, with a membership in the organization in the configured role. The one place where SSO
 * creates accounts, in one transaction.
 */
@Injectable()
export class SsoAccounts {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly users: UsersService,
    private readonly memberships: MembershipsService,
    private readonly audit: AuditService,
  ) {}

  signIn(organizationId: string, person: VouchedPerson, role: SsoRole): Promise<{ user: User; organization: Organization; created: boolean }> {
    return this.tx.runScoped({ organizationId }, async () => {
      const organization = await this.tx.manager.getRepository(Organization).findOneByOrFail({ id: organizationId });
      this.context.setOrganization({ id: organization.id, slug: organization.slug, name: organization.name, kind: organization.kind });
      const existing = await this.users.findByEmail(person.email);
      if (existing?.suspendedAt) {
        throw new SsoException(SsoErrorCode.SignInFailed, 'This account cannot sign in at present. Ask your organization or the operator of this service.');
      }
      // A new account has no password anyone knows: a random one, hashed and forgotten at once.
      // The identity provider vouched for the address, in a domain the operator confirmed is the organization's.
      const user = existing ?? (await this.users.create({ email: person.email, name: person.name, password: randomBytes(32).toString('base64url'), emailVerified: true }));
      if (existing && !existing.emailVerifiedAt) await this.users.markEmailVerified(existing.id, person.email);
      await this.tx.changeScope({ organizationId, userId: user.id });
      this.context.setCaller({ userId: user.id, isOperator: user.isOperator });
      if (!existing) await this.audit.record({ action: 'sso.account_created', targetType: 'user', targetId: user.id, data: { email: user.email, subject: person.subject } });
      if ((await this.memberships.holdRole(organizationId, user.id)) === null) await this.memberships.add(organization, user.id, role);
      await this.audit.record({ action: 'sso.signed_in', targetType: 'user', targetId: user.id, data: { subject: person.subject } });
      return { user, organization, created: !existing };
    });
  }
}
