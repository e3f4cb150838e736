import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Organization } from '../tenancy/entities/organization.entity';
import { OrganizationsService } from '../tenancy/organizations.service';
import { CodesErrorCode, CodesException } from './codes.exception';
import { CodesService } from './codes.service';
import { Accreditation } from './entities/accreditation.entity';

export type AccreditationState = 'current' | 'upcoming' | 'expired' | 'ended';

export interface AccreditationView {
  accreditation: Accreditation;
  organization: Organization;
  state: AccreditationState;
}

export interface NewAccreditation {
  /** The monitoring body's slug. */
  organization: string;
  validFrom: string;
  validUntil: string;
}

/**
 * Which monitoring bodies may verify adherence to a code, and for which period (both dates included).
 * Only the operator grants or ends an accreditation; the current list is public.
 */
@Injectable()
export class AccreditationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly codes: CodesService,
    private readonly organizations: OrganizationsService,
  ) {}

  async accredit(codeSlug: string, input: NewAccreditation): Promise<AccreditationView> {
    if (input.validUntil <= input.validFrom) throw new InvalidInputException({ validUntil: ['validUntil must be after validFrom'] });
    const { code } = await this.codes.code(codeSlug);
    const organization = await this.organizations.inTransactionBySlug(input.organization);
    if (!organization) {
      throw new CodesException(CodesErrorCode.NotAMonitoringBody, `There is no organization "${input.organization}".`, { organization: ['no organization has this slug'] });
    }
    if (organization.kind !== 'monitoring_body') {
      throw new CodesException(CodesErrorCode.NotAMonitoringBody, `${organization.name} is a provider; only a monitoring body can be accredited.`, {
        organization: ['must be a monitoring body'],
      });
    }
    const manager = this.tx.manager;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('accreditation:' || $1 || ':' || $2, 0))`, [code.id, organization.id]);
    const overlapping = await manager
      .getRepository(Accreditation)
      .createQueryBuilder('accreditation')
      .where('accreditation.codeId = :codeId AND accreditation.organizationId = :organizationId AND accreditation.endedAt IS NULL', {
        codeId: code.id,
        organizationId: organization.id,
      })
      .andWhere('accreditation.validFrom <= :until AND :from <= accreditation.validUntil', { from: input.validFrom, until: input.validUntil })
      .getOne();
    if (overlapping) {
      throw new CodesException(
        CodesErrorCode.AccreditationOverlaps,
        `${organization.name} is already accredited for ${code.slug} from ${overlapping.validFrom} to ${overlapping.validUntil}; end that accreditation first or choose dates after it.`,
        { accreditation: overlapping.id },
      );
    }
    const repository = manager.getRepository(Accreditation);
    const accreditation = await repository.save(
      repository.create({ codeId: code.id, organizationId: organization.id, validFrom: input.validFrom, validUntil: input.validUntil, createdBy: this.context.userId ?? null }),
    );
    await this.audit.record({
      organizationId: null,
      action: 'accreditation.granted',
      targetType: 'accreditation',
      targetId: accreditation.id,
      data: { code: code.slug, organization: organization.slug, validFrom: input.validFrom, validUntil: input.validUntil },
    });
    return this.view(accreditation, organization);
  }

  async end(codeSlug: string, id: string, reason: string): Promise<AccreditationView> {
    const accreditation = await this.find(codeSlug, id);
    if (accreditation.endedAt) {
      throw new CodesException(CodesErrorCode.AccreditationEnded, `This accreditation was already ended on ${accreditation.endedAt.toISOString().slice(0, 10)}.`);
    }
    await this.tx.manager
      .getRepository(Accreditation)
      .update({ id }, { endedAt: new Date(), endedBy: this.context.userId ?? null, endReason: reason });
    await this.audit.record({ organizationId: null, action: 'accreditation.ended', targetType: 'accreditation', targetId: id, data: { code: codeSlug, reason } });
    const ended = await this.find(codeSlug, id);
    const organizations = await this.organizations.byIds([ended.organizationId]);
    return this.view(ended, organizations.get(ended.organizationId)!);
  }

  /** Every accreditation of a code, newest first: the operator's view. */
  async list(codeSlug: string): Promise<AccreditationView[]> {
    const { code } = await this.codes.code(codeSlug);
    const accreditations = await this.tx.manager.getRepository(Accreditation).find({ where: { codeId: code.id }, order: { validFrom: 'DESC', createdAt: 'DESC' } });
    return this.views(accreditations);
  }

  /** The monitoring bodies accredited for a code today: the public list. */
  async current(codeSlug: string): Promise<AccreditationView[]> {
    return (await this.list(codeSlug)).filter((view) => view.state === 'current').sort((a, b) => a.organization.name.localeCompare(b.organization.name));
  }

  /** The accreditations of the request's organization, with the code each one is for, newest first. */
  async ofCurrentOrganization(): Promise<Array<AccreditationView & { code: { slug: string; title: string } }>> {
    const accreditations = await this.tx.manager
      .getRepository(Accreditation)
      .find({ where: { organizationId: this.context.organizationId }, order: { validFrom: 'DESC', createdAt: 'DESC' } });
    const codes = new Map((await this.codes.list()).map((summary) => [summary.code.id, { slug: summary.code.slug, title: summary.current.title }]));
    const views = await this.views(accreditations);
    return views.filter((view) => codes.has(view.accreditation.codeId)).map((view) => ({ ...view, code: codes.get(view.accreditation.codeId)! }));
  }

  private async find(codeSlug: string, id: string): Promise<Accreditation> {
    const { code } = await this.codes.code(codeSlug);
    const accreditation = await this.tx.manager.getRepository(Accreditation).findOneBy({ id, codeId: code.id });
    if (!accreditation) throw new CodesException(CodesErrorCode.AccreditationNotFound, `There is no such accreditation for ${codeSlug}.`);
    return accreditation;
  }

  private async views(accreditations: Accreditation[]): Promise<AccreditationView[]> {
    const organizations = await this.organizations.byIds([...new Set(accreditations.map((accreditation) => accreditation.organizationId))]);
    return accreditations.map((accreditation) => this.view(accreditation, organizations.get(accreditation.organizationId)!));
  }

  private view(accreditation: Accreditation, organization: Organization): AccreditationView {
    return { accreditation, organization, state: stateOf(accreditation, new Date().toISOString().slice(0, 10)) };
  }
}

function stateOf(accreditation: Accreditation, today: string): AccreditationState {
  if (accreditation.endedAt) return 'ended';
  if (today < accreditation.validFrom) return 'upcoming';
  if (today > accreditation.validUntil) return 'expired';
  return 'current';
}
