import { Injectable } from '@nestjs/common';
import { CodesService, FrozenVersion } from '../codes/codes.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { ServiceRegistry } from '../services/service-registry';
import { OrganizationsService } from '../tenancy/organizations.service';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { AssessmentSubmission } from './entities/assessment-submission.entity';
import { Assessment } from './entities/assessment.entity';

/**
 * What a monitoring body reads of the declarations submitted to it; the verification module reads
 * assessments only through this.
 */
@Injectable()
export class SubmittedAssessments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly codes: CodesService,
    private readonly services: ServiceRegistry,
    private readonly organizations: OrganizationsService,
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

  /** Every assessment ever submitted to the current monitoring body, with its provider and service names. */
  async addressedList(): Promise<Array<{ assessment: Assessment; provider: { slug: string; name: string }; service: string; code: { slug: string; title: string; version: string } }>> {
    const assessments = await this.repository
      .createQueryBuilder('assessment')
      .where('assessment.monitoringBodyId = :organizationId AND assessment.submittedAt IS NOT NULL', { organizationId: this.context.organizationId })
      .getMany();
    const [providers, services, versions] = await Promise.all([
      this.organizations.byIds(assessments.map((assessment) => assessment.organizationId)),
      this.services.namesByIds(assessments.map((assessment) => assessment.serviceId)),
      this.versionsOf(assessments),
    ]);
    return assessments.map((assessment) => {
      const provider = providers.get(assessment.organizationId)!;
      const { slug, version } = versions.get(assessment.codeVersionId)!;
      return {
        assessment,
        provider: { slug: provider.slug, name: provider.name },
        service: services.get(assessment.serviceId) ?? '',
        code: { slug, title: version.title, version: version.version },
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

  private async versionsOf(assessments: readonly Assessment[]): Promise<Map<string, FrozenVersion>> {
    const versions = new Map<string, FrozenVersion>();
    for (const id of new Set(assessments.map((assessment) => assessment.codeVersionId))) versions.set(id, await this.codes.frozenVersion(id));
    return versions;
  }

  private get repository() {
    return this.tx.manager.getRepository(Assessment);
  }
}
