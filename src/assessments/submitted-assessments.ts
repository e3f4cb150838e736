import { Injectable } from '@nestjs/common';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { AssessmentSubmission } from './entities/assessment-submission.entity';
import { Assessment } from './entities/assessment.entity';

/** One submission in a monitoring body's list. */
export interface SubmittedItem {
  assessment: Assessment;
  provider: { slug: string; name: string };
  service: string;
  code: { slug: string; title: string; version: string };
}

export const SUBMITTED_SORTS = ['submitted', 'provider', 'code', 'state', 'level'] as const;

export interface SubmittedFilter {
  /** Only these states; all when absent. */
  states?: readonly Assessment['state'][];
  code?: string;
  level?: number;
  /** Only these assessments, e.g. those the caller reviews. */
  among?: readonly string[];
  sort?: (typeof SUBMITTED_SORTS)[number];
  order?: 'asc' | 'desc';
}

const SUBMITTED_ORDERS: Record<(typeof SUBMITTED_SORTS)[number], string[]> = {
  submitted: ['assessment.submittedAt'],
  // Names as people sort them, whatever their case (the evidence library sorts titles the same way).
  provider: ['lower(provider.name)', `lower(coalesce(service.name, ''))`],
  code: ['code.slug', 'version.version'],
  state: ['assessment.state'],
  level: ['assessment.targetLevel'],
};

interface SubmittedRow {
  provider_slug: string;
  provider_name: string;
  service_name: string;
  code_slug: string;
  code_title: string;
  code_version: string;
}

/**
 * What a monitoring body reads of the declarations submitted to it; the verification module reads
 * assessments only through this.
 */
@Injectable()
export class SubmittedAssessments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
  ) {}

  /**
   * An assessment addressed to the current organization as its monitoring body; it exists for it only
   * once submitted (row-level security says the same).
   */
  async addressed(id: string, options: { lock?: 'update' } = {}): Promise<Assessment> {
    const query = this.repository
      .createQueryBuilder('assessment')
      .where('assessment.id = :id AND assessment.monitoringBodyId = :organizationId AND assessment.submittedAt IS NOT NULL', { id, organizationId: this.context.organizationId });
    if (options.lock) query.setLock('pessimistic_write');
    const assessment = await query.getOne();
    if (!assessment) throw new AssessmentsException(AssessmentsErrorCode.NotFound, 'No such assessment has been submitted to this monitoring body.');
    return assessment;
  }

  /**
   * The submissions addressed to the current monitoring body that `filter` keeps, with their provider,
   * service and code, filtered and ordered in SQL.
   */
  async list(filter: SubmittedFilter = {}): Promise<SubmittedItem[]> {
    const builder = this.repository
      .createQueryBuilder('assessment')
      .innerJoin('organizations', 'provider', 'provider.id = assessment.organization_id')
      .leftJoin('services', 'service', 'service.id = assessment.service_id')
      .innerJoin('code_versions', 'version', 'version.id = assessment.code_version_id')
      .innerJoin('codes', 'code', 'code.id = version.code_id')
      .addSelect('provider.slug', 'provider_slug')
      .addSelect('provider.name', 'provider_name')
      .addSelect(`coalesce(service.name, '')`, 'service_name')
      .addSelect('code.slug', 'code_slug')
      .addSelect('version.title', 'code_title')
      .addSelect('version.version', 'code_version')
      .where('assessment.monitoringBodyId = :organizationId AND assessment.submittedAt IS NOT NULL', { organizationId: this.context.organizationId });
    if (filter.states) builder.andWhere('assessment.state IN (:...states)', { states: filter.states });
    if (filter.code) builder.andWhere('code.slug = :code', { code: filter.code });
    if (filter.level) builder.andWhere('assessment.targetLevel = :level', { level: filter.level });
    if (filter.among) builder.andWhere('assessment.id = ANY(:among)', { among: filter.among });
    const direction = filter.order === 'desc' ? 'DESC' : 'ASC';
    const [first, ...then] = SUBMITTED_ORDERS[filter.sort ?? 'submitted'];
    builder.orderBy(first, direction);
    for (const column of [...then, 'assessment.id']) builder.addOrderBy(column, direction);
    const { entities, raw } = await builder.getRawAndEntities<SubmittedRow>();
    return entities.map((assessment, index) => {
      const row = raw[index];
      return {
        assessment,
        provider: { slug: row.provider_slug, name: row.provider_name },
        service: row.service_name,
        code: { slug: row.code_slug, title: row.code_title, version: row.code_version },
      };
    });
  }

  /**
   * The signed submissions of an assessment, oldest round first. For a monitoring body they are
   * readable only once the caller has declared no conflict of interest (row-level security).
   */
  async submittedRounds(assessment: Assessment): Promise<AssessmentSubmission[]> {
    return this.tx.manager.getRepository(AssessmentSubmission).find({ where: { assessmentId: assessment.id }, order: { round: 'ASC' } });
  }

  private get repository() {
    return this.tx.manager.getRepository(Assessment);
  }
}
