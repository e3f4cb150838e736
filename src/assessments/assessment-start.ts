import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccreditationsService } from '../codes/accreditations.service';
import { CodesService } from '../codes/codes.service';
import type { CodeDocument } from '../codes/document/code-document';
import { diffCodes } from '../codes/document/code-diff';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { ServiceRegistry } from '../provider-services/service-registry';
import { AnswerBook } from './answer-book';
import { OPEN_STATES, words } from './assessment-lifecycle';
import type { AssessmentDetail } from './assessment-detail';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { AssessmentsService } from './assessments.service';
import { carryForward, EarlierAnswer } from './carry-forward';
import type { StartAssessmentDto } from './dto/start-assessment.dto';
import { Answer } from './entities/answer.entity';
import { Assessment } from './entities/assessment.entity';
import { requirementPositions } from './requirement-index';

/**
 * Starting a declaration: for a published code version, at a level it has, with a monitoring body
 * accredited for it today, one answer per requirement that applies to the service, possibly carried
 * forward from an earlier declaration of the same code.
 */
@Injectable()
export class AssessmentStart {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly codes: CodesService,
    private readonly accreditations: AccreditationsService,
    private readonly services: ServiceRegistry,
    private readonly answers: AnswerBook,
    private readonly assessments: AssessmentsService,
  ) {}

  async start(input: StartAssessmentDto): Promise<AssessmentDetail> {
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
    return this.assessments.detail(assessment.id);
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

  private get repository() {
    return this.tx.manager.getRepository(Assessment);
  }
}
