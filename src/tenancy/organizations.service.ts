import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { OrganizationKind } from '../common/request-context';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { Organization } from './entities/organization.entity';
import { TenancyErrorCode, TenancyException } from './tenancy.exception';

export interface NewOrganization {
  name: string;
  kind: OrganizationKind;
  country?: string;
  website?: string;
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    @InjectRepository(Organization) private readonly directory: Repository<Organization>,
  ) {}

  /** Looks an organization up by slug before any transaction exists (access checks). */
  findBySlug(slug: string): Promise<Organization | null> {
    return this.directory.findOneBy({ slug });
  }

  async create(input: NewOrganization): Promise<Organization> {
    const repository = this.tx.manager.getRepository(Organization);
    const slug = await this.freeSlug(input.name);
    return repository.save(
      repository.create({ name: input.name.trim(), kind: input.kind, slug, country: input.country?.toUpperCase() ?? null, website: input.website ?? null }),
    );
  }

  current(): Promise<Organization> {
    return this.tx.manager.getRepository(Organization).findOneByOrFail({ id: this.context.organizationId });
  }

  async update(changes: UpdateOrganizationDto): Promise<Organization> {
    const repository = this.tx.manager.getRepository(Organization);
    const organization = await this.current();
    if (organization.version !== changes.version) {
      throw new TenancyException(
        TenancyErrorCode.StaleVersion,
        `The organization was changed by someone else (now at version ${organization.version}); reload and apply your change again.`,
      );
    }
    const { version: _version, ...fields } = changes;
    Object.assign(organization, { ...fields, country: fields.country?.toUpperCase() ?? organization.country });
    const saved = await repository.save(organization);
    await this.audit.record({ action: 'organization.updated', targetType: 'organization', targetId: saved.id, data: { fields: Object.keys(fields) } });
    return saved;
  }

  private async freeSlug(name: string): Promise<string> {
    const base =
      name
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 48)
        .replace(/-+$/g, '') || 'organization';
    const taken = await this.tx.manager
      .getRepository(Organization)
      .createQueryBuilder('organization')
      .select('organization.slug', 'slug')
      .where('organization.slug = :base OR organization.slug LIKE :pattern', { base, pattern: `${base}-%` })
      .getRawMany<{ slug: string }>();
    const used = new Set(taken.map((row) => row.slug));
    if (!used.has(base)) return base;
    for (let suffix = 2; ; suffix += 1) {
      if (!used.has(`${base}-${suffix}`)) return `${base}-${suffix}`;
    }
  }
}
