import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Organization } from './entities/organization.entity';
import { MembershipsService } from './memberships.service';
import { NewOrganization, OrganizationsService } from './organizations.service';

/** A person founds an organization and becomes its owner (provider) or admin (monitoring body). */
@Injectable()
export class FoundingService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly organizations: OrganizationsService,
    private readonly memberships: MembershipsService,
    private readonly audit: AuditService,
  ) {}

  async found(founderId: string, input: NewOrganization): Promise<Organization> {
    const organization = await this.organizations.create(input);
    // From here on the transaction acts inside the new organization, as row-level security requires.
    await this.tx.changeScope({ organizationId: organization.id, userId: founderId });
    this.context.setOrganization({ id: organization.id, slug: organization.slug, name: organization.name, kind: organization.kind });
    await this.audit.record({
      actorUserId: founderId,
      action: 'organization.created',
      targetType: 'organization',
      targetId: organization.id,
      data: { name: organization.name, kind: organization.kind },
    });
    await this.memberships.addFounder(organization, founderId);
    return organization;
  }
}
