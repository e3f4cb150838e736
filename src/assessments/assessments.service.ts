import { Injectable, OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccreditationsService } from '../codes/accreditations.service';
import { CodesService, FrozenVersion } from '../codes/codes.service';
import type { CodeDocument, Requirement } from '../codes/document/code-document';
import { diffCodes } from '../codes/document/code-diff';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { EvidenceUsage, EvidenceUse } from '../evidence/evidence-usage';
import { ServiceRegistry } from '../provider-services/service-registry';
import { OrganizationsService } from '../tenancy/organizations.service';
import { Notifications } from '../notifications/notifications';
import { UsersService } from '../tenancy/users.service';
import { AnswerBook } from './answer-book';
import { AssessmentLifecycle, OPEN_STATES, submitMove, words } from './assessment-lifecycle';
import type { AnswerDetail, AssessmentDetail } from './assessment-detail';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { carryForward, EarlierAnswer } from './carry-forward';
import type { AssessmentListQueryDto } from './dto/assessment-list-query.dto';
import type { StartAssessmentDto } from './dto/start-assessment.dto';
import type { SubmitAssessmentDto } from './dto/submit-assessment.dto';
import { Answer } from './entities/answer.entity';
import { AnswerEvidence } from './entities/answer-evidence.entity';
import { AssessmentSubmission, SubmissionSnapshot } from './entities/assessment-submission.entity';
import { Assessment } from './entities/assessment.entity';
import { gapsOf, progressOf, type AnswerFacts, type Progress } from './readiness';

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
 * Declarations of adherence from the provider's side: starting one (possibly from an earlier one),
 * reading it with its progress and gaps, submitting it signed, and withdrawing it.
 */
@Injectable()
export class AssessmentsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly codes: CodesService,
    private readonly accreditations: AccreditationsService,
    private readonly services: ServiceRegistry,
    private readonly organizations: OrganizationsService,
    private readonly users: UsersService,
    private readonly evidence: EvidenceLibrary,
    private readonly usage: EvidenceUsage,
    private readonly answers: AnswerBook,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly notifications: Notifications,
  ) {}

  onModuleInit(): void {
    this.usage.answeredBy((ids) => this.usesOfEvidence(ids));
  }

  async list(query: AssessmentListQueryDto = {}): Promise<AssessmentSummary[]> {
    const where: Record<string, unknown> = { organizationId: this.context.organizationId };
    if (query.state) where.state = query.state;
    if (query.service) where.serviceId = query.service;
    const assessments = await this.repository.find({ where, order: { createdAt: 'DESC' } });
    const versions = await this.versionsOf(assessments);
    return this.summarize(
      assessments.filter((assessment) => !query.code || versions.get(assessment.codeVersionId)!.slug === query.code),
      versions,
    );
  }

  async find(id: string, options: { lock?: 'share' | 'update' } = {}): Promise<Assessment> {
    const query = this.repository.createQueryBuilder('assessment').where('assessment.id = :id AND assessment.organizationId = :organizationId', { id, organizationId: this.context.organizationId });
    if (options.lock) query.setLock(options.lock === 'share' ? 'pessimistic_read' : 'pessimistic_write');
    const assessment = await query.getOne();
    if (!assessment) throw new AssessmentsException(AssessmentsErrorCode.NotFound, 'There is no such assessment in this organization.');
    return assessment;
  }

  async start(input: StartAssessmentDto): Promise<AssessmentDetail> {
    if (this.context.organization.kind !== 'provider') {
      throw new AssessmentsException(AssessmentsErrorCode.ProvidersOnly, 'Only providers declare adherence; this organization is a monitoring body.');
    }
    const service = await this.services.get(input.serviceId);
    const { version, document } = await this.codes.version(input.code, input.version);
    if (version.status !== 'published') {
      const current = (await this.codes.code(input.code)).current;
      throw new AssessmentsException(AssessmentsErrorCode.VersionNotOpen, `Version ${version.version} of ${input.code} is ${version.status}; declare adherence to the current version, ${current.version}.`, { version: [`${version.version} is ${version.status}`] });
    }
    if (input.targetLevel > version.levels.length) {
      const levels = version.levels.map((level, index) => `${index + 1} (${level.name})`).join(', ');
      throw new AssessmentsException(AssessmentsErrorCode.LevelUnknown, `${input.code} ${version.version} has the levels ${levels}; there is no level ${input.targetLevel}.`, { targetLevel: [`choose one of ${levels}`] });
    }
    const accredited = await this.accreditations.current(input.code);
    const body = accredited.find((view) => view.organization.slug === input.monitoringBody)?.organization;
    if (!body) {
      const names = accredited.map((view) => `${view.organization.name} (${view.organization.slug})`).join(', ') || 'none at the moment';
      throw new AssessmentsException(AssessmentsErrorCode.NotAccredited, `${input.monitoringBody} is not a monitoring body accredited today for ${input.code}; accredited: ${names}.`, { monitoringBody: [`not accredited for ${input.code}`] });
    }
    await this.requireNoneOpen(service.id, version.id, service.name);
    const { applicable } = this.codes.applicabilityIn(document, service.profile);
    const earlier = input.copyFrom ? await this.earlierAnswers(input.copyFrom, input.code, document) : undefined;

    const assessment = await this.repository.save(
      this.repository.create({
        organizationId: this.context.organizationId,
        serviceId: service.id,
        codeVersionId: version.id,
        monitoringBodyId: body.id,
        targetLevel: input.targetLevel,
        state: 'draft',
        round: 1,
        profile: service.profile,
        copiedFromId: input.copyFrom || null,
        version: 1,
        createdBy: this.context.userId ?? null,
      }),
    );
    const positions = requirementPositions(document);
    const carried = earlier ? carryForward(applicable, earlier.answers, earlier.diff) : undefined;
    await this.answers.seed(
      assessment,
      applicable.map((key) => {
        const from = carried?.get(key);
        return {
          requirementKey: key,
          position: positions.get(key)!,
          claim: from?.claim ?? null,
          statement: from?.statement ?? null,
          justification: from?.justification ?? null,
          carried: from?.carried ?? null,
          evidenceIds: from?.evidenceIds ?? [],
        };
      }),
    );
    await this.audit.record({
      action: 'assessment.started',
      targetType: 'assessment',
      targetId: assessment.id,
      data: { service: service.name, code: input.code, version: version.version, monitoringBody: body.slug, targetLevel: input.targetLevel, requirements: applicable.length, copiedFrom: input.copyFrom ?? null },
    });
    return this.detail(assessment.id);
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

  /**
   * An answer just saved, with the assessment's progress. Saves are frequent, so this reads only what
   * progress needs (claims and evidence links), not the whole assessment.
   */
  async savedAnswer(assessment: Assessment, saved: Answer): Promise<{ answer: AnswerDetail; progress: Progress }> {
    const { document } = await this.codes.frozenVersion(assessment.codeVersionId);
    const rows = (await this.tx.manager.query(
      `SELECT a.requirement_key AS key, a.claim, a.justification,
              coalesce(array_agg(l.evidence_id ORDER BY l.evidence_id) FILTER (WHERE l.evidence_id IS NOT NULL), '{}') AS evidence
         FROM answers a LEFT JOIN answer_evidence l ON l.answer_id = a.id
        WHERE a.assessment_id = $1
        GROUP BY a.id`,
      [assessment.id],
    )) as Array<{ key: string; claim: Answer['claim']; justification: string | null; evidence: string[] }>;
    const items = await this.evidence.items(rows.flatMap((row) => row.evidence));
    const requirements = requirementIndex(document);
    const linked = (ids: string[]) => ids.flatMap((id) => (items.has(id) ? [items.get(id)!] : []));
    const facts = rows.map((row) => ({
      requirementKey: row.key,
      sectionKey: requirements.get(row.key)!.sectionKey,
      claim: row.claim,
      justification: row.justification,
      evidenceRequired: requirements.get(row.key)!.requirement.evidenceRequired,
      evidence: linked(row.evidence).map((item) => item.status),
    }));
    const names = saved.updatedBy ? await this.users.namesByIds([saved.updatedBy]) : new Map<string, string>();
    const own = rows.find((row) => row.key === saved.requirementKey)!;
    return {
      answer: { answer: saved, ...requirements.get(saved.requirementKey)!, evidence: linked(own.evidence), updatedByName: saved.updatedBy ? names.get(saved.updatedBy) ?? null : null },
      progress: progressOf(facts),
    };
  }

  /**
   * Submits the declaration, signed: only when nothing is missing. The round's answers and the hash
   * of every evidence revision they use are frozen with it.
   */
  async submit(id: string, input: SubmitAssessmentDto): Promise<AssessmentDetail> {
    // Locked first: no answer can change between the check and the snapshot.
    const assessment = await this.find(id, { lock: 'update' });
    const move = submitMove(assessment);
    this.lifecycle.check(assessment, move);
    const detail = await this.detail(id, assessment);
    if (detail.gaps.length > 0) {
      const error = new AssessmentsException(
        AssessmentsErrorCode.NotReady,
        `The assessment cannot be submitted yet: ${detail.gaps.length} ${detail.gaps.length === 1 ? 'gap' : 'gaps'} (${detail.gaps.map((gap) => gap.requirementKey).join(', ')}).`,
        { gaps: detail.gaps },
      );
      error.extra = { gaps: detail.gaps.map(({ requirementKey, problem }) => ({ requirementKey, problem })) };
      throw error;
    }
    const submittedAt = new Date();
    const round = move === 'resubmit' ? assessment.round + 1 : assessment.round;
    const moved = await this.lifecycle.apply(assessment, move, { submittedAt, round }, { signatory: input.signatory.name });
    await this.tx.manager.getRepository(AssessmentSubmission).insert({
      assessmentId: id,
      organizationId: assessment.organizationId,
      round,
      signatoryName: input.signatory.name,
      signatoryTitle: input.signatory.title,
      signedBy: this.context.userId ?? null,
      submittedAt,
      snapshot: snapshotOf(detail),
    });
    await this.notifications.enqueue({
      event: move === 'resubmit' ? 'resubmitted' : 'submitted',
      organizationId: assessment.monitoringBodyId,
      to: { roles: ['admin'] },
      subject: `${move === 'resubmit' ? 'Resubmitted' : 'Submitted'} for verification: ${detail.service.name} (${detail.code.slug} ${detail.code.version.version}, round ${round})`,
      text: `${this.context.organization.name} has ${move === 'resubmit' ? 'answered your findings and resubmitted' : 'submitted'} its declaration of adherence for ${detail.service.name} to ${detail.code.version.title} ${detail.code.version.version} at level ${assessment.targetLevel}, signed by ${input.signatory.name} (${input.signatory.title}).`,
      link: `/app/${detail.monitoringBody.slug}/reviews/${id}`,
      key: `${move === 'resubmit' ? 'resubmitted' : 'submitted'}:${id}:${round}`,
    });
    // Only the assessment itself changed: its answers are the ones just frozen.
    return { ...detail, assessment: moved };
  }

  async withdraw(id: string): Promise<AssessmentDetail> {
    const assessment = await this.find(id, { lock: 'update' });
    return this.detail(id, await this.lifecycle.apply(assessment, 'withdraw'));
  }

  async submissions(id: string): Promise<AssessmentSubmission[]> {
    const assessment = await this.find(id);
    return this.tx.manager.getRepository(AssessmentSubmission).find({ where: { assessmentId: assessment.id }, order: { round: 'DESC' } });
  }

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

  private async requireNoneOpen(serviceId: string, codeVersionId: string, serviceName: string): Promise<void> {
    const open = await this.repository.findOne({ where: { serviceId, codeVersionId, state: In([...OPEN_STATES]) } });
    if (open) {
      throw new AssessmentsException(AssessmentsErrorCode.AlreadyOpen, `${serviceName} already has an open assessment against this code version (${words(open.state)}); continue it or withdraw it first.`, { existing: open.id });
    }
  }

  /** The answers of an earlier assessment of the same code, and how the code changed since. */
  private async earlierAnswers(id: string, slug: string, document: CodeDocument): Promise<{ answers: EarlierAnswer[]; diff?: ReturnType<typeof diffCodes> }> {
    const earlier = await this.repository.findOneBy({ id, organizationId: this.context.organizationId });
    if (!earlier) throw new AssessmentsException(AssessmentsErrorCode.NotFound, 'copyFrom is not an assessment of this organization.', { copyFrom: ['no such assessment'] });
    const source = await this.codes.frozenVersion(earlier.codeVersionId);
    if (source.slug !== slug) {
      throw new AssessmentsException(AssessmentsErrorCode.CarryForwardMismatch, `copyFrom is an assessment against ${source.slug}; answers can only be carried forward within the same code.`, { copyFrom: [`against ${source.slug}, not ${slug}`] });
    }
    const answers = await this.tx.manager.getRepository(Answer).find({ where: { assessmentId: earlier.id } });
    const links = await this.answers.links(answers.map((answer) => answer.id));
    const diff = source.version.version === document.version ? undefined : diffCodes(source.document, document);
    return {
      answers: answers.map((answer) => ({ requirementKey: answer.requirementKey, claim: answer.claim, statement: answer.statement, justification: answer.justification, evidenceIds: links.get(answer.id)! })),
      diff,
    };
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

function factsOf(detail: AnswerDetail): AnswerFacts {
  return {
    requirementKey: detail.answer.requirementKey,
    sectionKey: detail.sectionKey,
    claim: detail.answer.claim,
    justification: detail.answer.justification,
    evidenceRequired: detail.requirement.evidenceRequired,
    evidence: detail.evidence.map((item) => item.status),
  };
}

/** Each requirement of a code version by key, with the key of its section. */
function requirementIndex(document: CodeDocument): Map<string, { requirement: Requirement; sectionKey: string }> {
  return new Map(document.sections.flatMap((section) => section.requirements.map((requirement) => [requirement.key, { requirement, sectionKey: section.key }] as const)));
}

function requirementPositions(document: CodeDocument): Map<string, number> {
  return new Map(document.sections.flatMap((section) => section.requirements).map((requirement, index) => [requirement.key, index + 1]));
}

function snapshotOf(detail: AssessmentDetail): SubmissionSnapshot {
  return {
    codeVersionId: detail.assessment.codeVersionId,
    targetLevel: detail.assessment.targetLevel,
    answers: detail.answers.map(({ answer, evidence }) => ({
      requirementKey: answer.requirementKey,
      claim: answer.claim,
      statement: answer.statement,
      justification: answer.justification,
      evidence: evidence.map(({ evidence: item, current }) => ({ id: item.id, title: item.title, kind: item.kind, confidentiality: item.confidentiality, revision: current.number, sha256: current.sha256 })),
    })),
  };
}
