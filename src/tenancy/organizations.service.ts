import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { violatesUniqueIndex } from '../common/errors/unique-violation';
import { nameSkeleton } from '../common/names/name-skeleton';
import { OrganizationKind } from '../common/request-context';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { Organization } from './entities/organization.entity';
import { organizationNameLooksTaken, TenancyErrorCode, TenancyException } from './tenancy.exception';

/** Slugs that are pages of their own under /app (the operator's /app/admin), never an organization's. */
const RESERVED_SLUGS = ['admin'];

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

  /** Organizations by slug or id, inside the request's transaction. */
  inTransactionBySlug(slug: string): Promise<Organization | null> {
    return this.tx.manager.getRepository(Organization).findOneBy({ slug });
  }

  async byIds(ids: readonly string[]): Promise<Map<string, Organization>> {
    if (ids.length === 0) return new Map();
    const found = await this.tx.manager.getRepository(Organization).findBy({ id: In([...ids]) });
    return new Map(found.map((organization) => [organization.id, organization]));
  }

  /** Every monitoring body on the platform, by name: the operator accredits them. */
  monitoringBodies(): Promise<Organization[]> {
    return this.tx.manager.getRepository(Organization).find({ where: { kind: 'monitoring_body' }, order: { name: 'ASC' } });
  }

  /** A new organization; a name that looks like another organization's is refused (409). */
  async create(input: NewOrganization): Promise<Organization> {
    const repository = this.tx.manager.getRepository(Organization);
    const name = input.name.trim();
    const nameSkeleton = await this.distinctSkeleton(name);
    const slug = await this.freeSlug(name);
    return this.refusingLookAlikes(() =>
      repository.save(repository.create({ name, nameSkeleton, kind: input.kind, slug, country: input.country?.toUpperCase() ?? null, website: input.website ?? null })),
    );
  }

  current(): Promise<Organization> {
    return this.tx.manager.getRepository(Organization).findOneByOrFail({ id: this.context.organizationId });
  }

  /**
   * Applies the fields sent, only if the organization is still at the version they were based on: of two
   * simultaneous saves from the same version, one wins and the other gets a 409.
   */
  async update(changes: UpdateOrganizationDto): Promise<Organization> {
    const { version, ...sent } = changes;
    if (sent.requireStepUp === true && this.context.organization.kind !== 'monitoring_body') {
      throw new InvalidInputException({ requireStepUp: ['requireStepUp is for monitoring bodies, whose decisions it guards'] });
    }
    const fields = Object.fromEntries(Object.entries(sent).filter(([, value]) => value !== undefined)) as Partial<Organization>;
    if (typeof fields.country === 'string') fields.country = fields.country.toUpperCase();
    // A name sent unchanged keeps its skeleton, also one kept from before look-alikes were refused.
    const renamed = fields.name !== undefined && fields.name !== (await this.current()).name;
    const nameSkeleton = renamed ? await this.distinctSkeleton(fields.name!, this.context.organizationId) : undefined;
    const result = await this.refusingLookAlikes(() =>
      this.tx.manager
        .createQueryBuilder()
        .update(Organization)
        .set({ ...fields, ...(nameSkeleton ? { nameSkeleton } : {}), version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id: this.context.organizationId, version })
        .execute(),
    );
    const organization = await this.current();
    if (!result.affected) {
      throw new TenancyException(
        TenancyErrorCode.StaleVersion,
        `The organization was changed by someone else at ${organization.updatedAt.toISOString()} (it is now at version ${organization.version}, your change was based on ${version}); reload and apply your change again.`,
        { currentVersion: organization.version, updatedAt: organization.updatedAt.toISOString() },
      );
    }
    await this.audit.record({ action: 'organization.updated', targetType: 'organization', targetId: organization.id, data: { fields: Object.keys(fields) } });
    const security = Object.fromEntries(Object.entries(fields).filter(([key]) => key === 'requireMfa' || key === 'requireStepUp'));
    // What the organization demands of its members' sign-in is recorded with its values.
    if (Object.keys(security).length > 0) await this.audit.record({ action: 'organization.sign_in_policy_changed', targetType: 'organization', targetId: organization.id, data: security });
    return organization;
  }

  /** The name's skeleton, if no other organization's name has it. */
  private async distinctSkeleton(name: string, exceptId?: string): Promise<string> {
    const skeleton = nameSkeleton(name);
    const taken = await this.tx.manager
      .getRepository(Organization)
      .createQueryBuilder('organization')
      .where('organization.name_skeleton = :skeleton', { skeleton })
      .andWhere(exceptId ? 'organization.id <> :exceptId' : 'true', { exceptId })
      .getExists();
    if (taken) throw organizationNameLooksTaken();
    return skeleton;
  }

  /** The unique index decides between two requests that checked at once: the later one is refused alike. */
  private async refusingLookAlikes<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw violatesUniqueIndex(error, 'organizations_name_skeleton_key') ? organizationNameLooksTaken() : error;
    }
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
    const used = new Set([...RESERVED_SLUGS, ...taken.map((row) => row.slug)]);
    if (!used.has(base)) return base;
    for (let suffix = 2; ; suffix += 1) {
      if (!used.has(`${base}-${suffix}`)) return `${base}-${suffix}`;
    }
  }
}
