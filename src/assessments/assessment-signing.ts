import { Injectable } from '@nestjs/common';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import { AssessmentLifecycle, submitMove } from './assessment-lifecycle';
import type { AssessmentDetail } from './assessment-detail';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import { AssessmentsService } from './assessments.service';
import type { SubmitAssessmentDto } from './dto/submit-assessment.dto';
import { AssessmentSubmission, SubmissionSnapshot } from './entities/assessment-submission.entity';

/** The provider's signed acts on a declaration: submitting it (again, after findings) and withdrawing it. */
@Injectable()
export class AssessmentSigning {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly assessments: AssessmentsService,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly notifications: Notifications,
  ) {}

  /**
   * Submits the declaration, signed: only when nothing is missing. The round's answers and the hash
   * of every evidence revision they use are frozen with it.
   */
  async submit(id: string, input: SubmitAssessmentDto): Promise<AssessmentDetail> {
    // Locked first: no answer can change between the check and the snapshot.
    const assessment = await this.assessments.find(id, { lock: 'update' });
    const move = submitMove(assessment);
    this.lifecycle.check(assessment, move);
    const detail = await this.assessments.detail(id, assessment);
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
    const assessment = await this.assessments.find(id, { lock: 'update' });
    return this.assessments.detail(id, await this.lifecycle.apply(assessment, 'withdraw'));
  }
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
