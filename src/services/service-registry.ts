import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CodesService } from '../codes/codes.service';
import { Profile } from '../codes/document/code-document';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { CreateServiceDto } from './dto/create-service.dto';
import { UpdateServiceDto } from './dto/update-service.dto';
import { ProviderService } from './provider-service.entity';
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
    this.requireProvider();
    const { answers } = await this.codes.checkProfileAnswers(input.profile ?? {});
    await this.requireFreeName(input.name);
    const service = await this.repository.save(
      this.repository.create({
        organizationId: this.context.organizationId,
        name: input.name,
        description: input.description ?? null,
        url: input.url ?? null,
        profile: answers,
        version: 1,
      }),
    );
    await this.audit.record({ action: 'service.created', targetType: 'service', targetId: service.id, data: { name: service.name } });
    return service;
  }

  /** Applies the fields sent, only if the service is still at the version they were based on. */
  async update(id: string, changes: UpdateServiceDto): Promise<ProviderService> {
    const current = await this.get(id);
    const { answers, cleared } = await this.codes.checkProfileAnswers(changes.profile ?? {});
    if (changes.name !== undefined && changes.name.toLowerCase() !== current.name.toLowerCase()) await this.requireFreeName(changes.name, id);
    const profile: Profile = { ...current.profile, ...answers };
    for (const key of cleared) delete profile[key];
    const fields: Partial<ProviderService> = { profile };
    if (changes.name !== undefined) fields.name = changes.name;
    if (changes.description !== undefined) fields.description = changes.description;
    if (changes.url !== undefined) fields.url = changes.url;
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(ProviderService)
      .set({ ...fields, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND version = :version', { id, version: changes.version })
      .execute();
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

  async remove(id: string): Promise<void> {
    const service = await this.get(id);
    await this.repository.delete({ id: service.id });
    await this.audit.record({ action: 'service.deleted', targetType: 'service', targetId: id, data: { name: service.name } });
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

  private requireProvider(): void {
    if (this.context.organization.kind !== 'provider') {
      throw new ServicesException(ServicesErrorCode.ProvidersOnly, 'Only providers register services; this organization is a monitoring body.');
    }
  }

  private async requireFreeName(name: string, exceptId?: string): Promise<void> {
    const taken = await this.repository
      .createQueryBuilder('service')
      .where('service.organizationId = :organizationId AND lower(service.name) = lower(:name)', { organizationId: this.context.organizationId, name })
      .andWhere(exceptId ? 'service.id <> :exceptId' : 'true', { exceptId })
      .getCount();
    if (taken > 0) throw new ServicesException(ServicesErrorCode.NameTaken, `This organization already has a service called ${name}.`, { name: ['another service has this name'] });
  }
}
