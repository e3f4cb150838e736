import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { violatesUniqueIndex } from '../common/errors/unique-violation';
import { nameSkeleton } from '../common/names/name-skeleton';
import { CodesService } from '../codes/codes.service';
import { Profile } from '../codes/document/code-document';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { CreateServiceDto } from './dto/create-service.dto';
import { UpdateServiceDto } from './dto/update-service.dto';
import { ProviderService } from './entities/provider-service.entity';
import { ServicesErrorCode, ServicesException } from './services.exception';

/** A provider's services and detection tools, each described once and assessed against any code. */
@Injectable()
export class ServiceRegistry {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly codes: CodesService,
  ) {}

  list(): Promise<ProviderService[]> {
    return this.repository.find({ where: { organizationId: this.context.organizationId }, order: { name: 'ASC' } });
  }

  /**
   * Names of services by id: the organization's own, and those a monitoring body reviews (row-level
   * security decides which are visible).
   */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.repository.find({ where: { id: In([...new Set(ids)]) }, select: { id: true, name: true } });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  async get(id: string): Promise<ProviderService> {
    const service = await this.repository.findOneBy({ id, organizationId: this.context.organizationId });
    if (!service) throw new ServicesException(ServicesErrorCode.NotFound, 'There is no such service in this organization.');
    return service;
  }

  async create(input: CreateServiceDto): Promise<ProviderService> {
    const { answers } = await this.codes.checkProfileAnswers(input.profile ?? {});
    const nameSkeleton = await this.freeNameSkeleton(input.name);
    const service = await this.refusingLookAlikes(input.name, () =>
      this.repository.save(
        this.repository.create({
          organizationId: this.context.organizationId,
          name: input.name,
          nameSkeleton,
          description: input.description ?? null,
          url: input.url ?? null,
          profile: answers,
          version: 1,
        }),
      ),
    );
    await this.audit.record({ action: 'service.created', targetType: 'service', targetId: service.id, data: { name: service.name } });
    return service;
  }

  /** Applies the fields sent, only if the service is still at the version they were based on. */
  async update(id: string, changes: UpdateServiceDto): Promise<ProviderService> {
    const current = await this.get(id);
    const { answers, cleared } = await this.codes.checkProfileAnswers(changes.profile ?? {});
    // A name sent unchanged keeps its skeleton, also one kept from before look-alikes were refused.
    const nameSkeleton = changes.name !== undefined && changes.name !== current.name ? await this.freeNameSkeleton(changes.name, id) : undefined;
    const profile: Profile = { ...current.profile, ...answers };
    for (const key of cleared) delete profile[key];
    const fields: Partial<ProviderService> = { profile };
    if (changes.name !== undefined) fields.name = changes.name;
    if (changes.description !== undefined) fields.description = changes.description;
    if (changes.url !== undefined) fields.url = changes.url;
    const result = await this.refusingLookAlikes(changes.name ?? current.name, () =>
      this.tx.manager
        .createQueryBuilder()
        .update(ProviderService)
        .set({ ...fields, ...(nameSkeleton ? { nameSkeleton } : {}), version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('id = :id AND version = :version', { id, version: changes.version })
        .execute(),
    );
    const service = await this.get(id);
    if (!result.affected) {
      throw new ServicesException(
        ServicesErrorCode.StaleVersion,
        `${service.name} was changed by someone else at ${service.updatedAt.toISOString()} (it is now at version ${service.version}, your change was based on ${changes.version}); reload and apply your change again.`,
        { currentVersion: service.version, updatedAt: service.updatedAt.toISOString() },
      );
    }
    await this.audit.record({
      action: 'service.updated',
      targetType: 'service',
      targetId: id,
      data: { fields: Object.keys(changes).filter((key) => key !== 'version' && changes[key as keyof UpdateServiceDto] !== undefined), profile: { set: Object.keys(answers), cleared } },
    });
    return service;
  }

  /** Deletes the service; what it was, for saying so. */
  async remove(id: string): Promise<ProviderService> {
    const service = await this.get(id);
    await this.repository.delete({ id: service.id });
    await this.audit.record({ action: 'service.deleted', targetType: 'service', targetId: id, data: { name: service.name } });
    return service;
  }

  /** Which requirements of a code version apply to the service; the code's current version by default. */
  async applicability(id: string, code: string, version?: string) {
    const service = await this.get(id);
    return this.applicabilityOf(service, code, version ?? (await this.codes.code(code)).current.version);
  }

  /** The same, for a service already read. */
  async applicabilityOf(service: ProviderService, code: string, version: string) {
    return { service, code, version, ...(await this.codes.applicability(code, version, service.profile)) };
  }

  private get repository() {
    return this.tx.manager.getRepository(ProviderService);
  }

  /**
   * The name's skeleton, if no other service of the organization has a name a reader could take for it.
   * Only within the organization: the register always shows a service under its provider's name, and
   * different providers may well both run an "Image Scanner".
   */
  private async freeNameSkeleton(name: string, exceptId?: string): Promise<string> {
    const skeleton = nameSkeleton(name);
    const taken = await this.repository
      .createQueryBuilder('service')
      .select('service.name', 'name')
      .where('service.organizationId = :organizationId', { organizationId: this.context.organizationId })
      .andWhere('(lower(service.name) = lower(:name) OR service.name_skeleton = :skeleton)', { name, skeleton })
      .andWhere(exceptId ? 'service.id <> :exceptId' : 'true', { exceptId })
      .getRawOne<{ name: string }>();
    if (taken) throw serviceNameTaken(name, taken.name);
    return skeleton;
  }

  /** The unique indexes decide between two requests that checked at once: the later one is refused alike. */
  private async refusingLookAlikes<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw violatesUniqueIndex(error, 'services_name_key', 'services_name_skeleton_key') ? serviceNameTaken(name) : error;
    }
  }
}

/** The refusal of a service name; `taken` is the other service's name when it is known (not when the unique index refused it). */
function serviceNameTaken(name: string, taken?: string): ServicesException {
  if (taken === undefined) {
    return new ServicesException(ServicesErrorCode.NameTaken, `This organization already has a service called ${name}, or one whose name looks the same.`, {
      name: ['another service has this name, or one that looks the same'],
    });
  }
  if (taken.toLowerCase() === name.toLowerCase()) {
    return new ServicesException(ServicesErrorCode.NameTaken, `This organization already has a service called ${taken}.`, { name: ['another service has this name'] });
  }
  return new ServicesException(ServicesErrorCode.NameTaken, `This organization already has a service whose name looks the same: ${taken}. Choose a name that cannot be mistaken for it.`, {
    name: [`looks the same as the name of another service, ${taken} (ignoring case and look-alike characters)`],
  });
}
