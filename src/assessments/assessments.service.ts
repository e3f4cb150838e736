import { Injectable, OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { CodesService, FrozenVersion } from '../codes/codes.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { EvidenceUsage, EvidenceUse } from '../evidence/evidence-usage';
import { ServiceRegistry } from '../provider-services/service-registry';
import { OrganizationsService } from '../tenancy/organizations.service';
import { UsersService } from '../tenancy/users.service';
import { AnswerBook } from './answer-book';
import { ReviewFeedback, type VerificationStanding } from './review-feedback';
import type { AnswerDetail, AssessmentDetail } from './assessment-detail';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import type { AssessmentListQueryDto } from './dto/assessment-list-query.dto';
import { Answer } from './entities/answer.entity';
import { AnswerEvidence } from './entities/answer-evidence.entity';
import { AssessmentSubmission } from './entities/assessment-submission.entity';
import { Assessment } from './entities/assessment.entity';
import { gapsOf, progressOf } from './readiness';
import { factsOf, requirementIndex } from './requirement-index';

/** One line of the assessments list. */
export interface AssessmentSummary {
  assessment: Assessment;
  service: { id: string; name: string };
  code: { slug: string; title: string; version: string };
  monitoringBody: { slug: string; name: string };
  answered: number;
  total: number;
}

/**
 * Reading the provider's declarations: the list with each one's progress, one declaration with its
 * answers, progress and gaps, its signed submissions, and which of them use a piece of evidence.
 */
@Injectable()
export class AssessmentsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly codes: CodesService,
    private readonly services: ServiceRegistry,
    private readonly organizations: OrganizationsService,
    private readonly users: UsersService,
    private readonly evidence: EvidenceLibrary,
    private readonly usage: EvidenceUsage,
    private readonly answers: AnswerBook,
    private readonly feedback: ReviewFeedback,
  ) {}

  onModuleInit(): void {
    this.usage.answeredBy((ids) => this.usesOfEvidence(ids));
  }

  /** The organization's assessments, newest first, narrowed in SQL by state, service and code. */
  async list(query: AssessmentListQueryDto = {}): Promise<AssessmentSummary[]> {
    const builder = this.repository.createQueryBuilder('assessment').where('assessment.organizationId = :organizationId', { organizationId: this.context.organizationId });
    if (query.state) builder.andWhere('assessment.state = :state', { state: query.state });
    if (query.service) builder.andWhere('assessment.serviceId = :service', { service: query.service });
    if (query.code) builder.andWhere('assessment.codeVersionId IN (SELECT v.id FROM code_versions v JOIN codes c ON c.id = v.code_id WHERE c.slug = :code)', { code: query.code });
    const assessments = await builder.orderBy('assessment.createdAt', 'DESC').addOrderBy('assessment.id', 'DESC').getMany();
    return this.summarize(assessments, await this.versionsOf(assessments));
  }

  async find(id: string, options: { lock?: 'share' | 'update' } = {}): Promise<Assessment> {
    const query = this.repository.createQueryBuilder('assessment').where('assessment.id = :id AND assessment.organizationId = :organizationId', { id, organizationId: this.context.organizationId });
    if (options.lock) query.setLock(options.lock === 'share' ? 'pessimistic_read' : 'pessimistic_write');
    const assessment = await query.getOne();
    if (!assessment) throw new AssessmentsException(AssessmentsErrorCode.NotFound, 'There is no such assessment in this organization.');
    return assessment;
  }

  async detail(id: string, preloaded?: Assessment): Promise<AssessmentDetail> {
    const assessment = preloaded ?? (await this.find(id));
    const [service, { document, ...code }, bodies, answers] = await Promise.all([
      this.services.get(assessment.serviceId),
      this.codes.frozenVersion(assessment.codeVersionId),
      this.organizations.byIds([assessment.monitoringBodyId]),
      this.tx.manager.getRepository(Answer).find({ where: { assessmentId: assessment.id }, order: { position: 'ASC' } }),
    ]);
    const links = await this.answers.links(answers.map((answer) => answer.id));
    const evidence = await this.evidence.items([...links.values()].flat());
    const names = await this.users.namesByIds(answers.flatMap((answer) => (answer.updatedBy ? [answer.updatedBy] : [])));
    const requirements = requirementIndex(document);
    const details: AnswerDetail[] = answers.map((answer) => ({
      answer,
      ...requirements.get(answer.requirementKey)!,
      evidence: links.get(answer.id)!.map((evidenceId) => evidence.get(evidenceId)!).filter(Boolean),
      updatedByName: answer.updatedBy ? names.get(answer.updatedBy) ?? null : null,
    }));
    const facts = details.map(factsOf);
    const sections = document.sections
      .map(({ requirements: _all, ...section }) => {
        const inSection = details.filter((detail) => detail.sectionKey === section.key);
        return { section, answers: inSection, progress: progressOf(inSection.map(factsOf)) };
      })
      .filter((section) => section.answers.length > 0);
    return {
      assessment,
      service,
      code,
      document,
      monitoringBody: bodies.get(assessment.monitoringBodyId)!,
      answers: details,
      sections,
      progress: progressOf(facts),
      gaps: gapsOf(facts),
    };
  }

  /** What the monitoring body has released about the assessment. */
  async standing(id: string): Promise<VerificationStanding> {
    return this.feedback.of(await this.find(id));
  }

  async submissions(id: string): Promise<AssessmentSubmission[]> {
    const assessment = await this.find(id);
    return this.tx.manager.getRepository(AssessmentSubmission).find({ where: { assessmentId: assessment.id }, order: { round: 'DESC' } });
  }

  private async usesOfEvidence(evidenceIds: readonly string[]): Promise<EvidenceUse[]> {
    const links = await this.tx.manager
      .getRepository(AnswerEvidence)
      .createQueryBuilder('link')
      .innerJoin(Answer, 'answer', 'answer.id = link.answerId')
      .select(['link.evidenceId AS "evidenceId"', 'answer.assessmentId AS "assessmentId"', 'answer.requirementKey AS "requirementKey"', 'answer.position AS position'])
      .where('link.evidenceId IN (:...ids)', { ids: evidenceIds })
      .orderBy('answer.position', 'ASC')
      .getRawMany<{ evidenceId: string; assessmentId: string; requirementKey: string }>();
    if (links.length === 0) return [];
    const assessments = await this.repository.findBy({ id: In([...new Set(links.map((link) => link.assessmentId))]), organizationId: this.context.organizationId });
    const versions = await this.versionsOf(assessments);
    const summaries = new Map((await this.summarize(assessments, versions)).map((summary) => [summary.assessment.id, summary]));
    return links.flatMap((link) => {
      const summary = summaries.get(link.assessmentId);
      if (!summary) return [];
      const { document } = versions.get(summary.assessment.codeVersionId)!;
      return [{
        evidenceId: link.evidenceId,
        assessmentId: link.assessmentId,
        assessment: `${summary.service.name} — ${summary.code.title} ${summary.code.version}`,
        assessmentState: summary.assessment.state,
        requirementKey: link.requirementKey,
        sectionKey: requirementIndex(document).get(link.requirementKey)!.sectionKey,
      }];
    });
  }

  /** The code version of each assessment, read once per process (published versions never change). */
  private async versionsOf(assessments: readonly Assessment[]): Promise<Map<string, FrozenVersion>> {
    const versions = new Map<string, FrozenVersion>();
    for (const id of new Set(assessments.map((assessment) => assessment.codeVersionId))) versions.set(id, await this.codes.frozenVersion(id));
    return versions;
  }

  /** The lines of the list: what each assessment is for, and how far its answers are. */
  private async summarize(assessments: readonly Assessment[], versions: Map<string, FrozenVersion>): Promise<AssessmentSummary[]> {
    if (assessments.length === 0) return [];
    const counts = (await this.tx.manager.query(
      `SELECT assessment_id AS id, count(*)::int AS total, count(claim)::int AS answered FROM answers WHERE assessment_id = ANY($1) GROUP BY assessment_id`,
      [assessments.map((assessment) => assessment.id)],
    )) as Array<{ id: string; total: number; answered: number }>;
    const progress = new Map(counts.map((row) => [row.id, row]));
    const services = new Map((await this.services.list()).map((service) => [service.id, service]));
    const bodies = await this.organizations.byIds(assessments.map((assessment) => assessment.monitoringBodyId));
    return assessments.map((assessment) => {
      const { slug, version } = versions.get(assessment.codeVersionId)!;
      const body = bodies.get(assessment.monitoringBodyId)!;
      return {
        assessment,
        service: { id: assessment.serviceId, name: services.get(assessment.serviceId)?.name ?? '' },
        code: { slug, title: version.title, version: version.version },
        monitoringBody: { slug: body.slug, name: body.name },
        answered: progress.get(assessment.id)?.answered ?? 0,
        total: progress.get(assessment.id)?.total ?? 0,
      };
    });
  }

  private get repository() {
    return this.tx.manager.getRepository(Assessment);
  }
}
