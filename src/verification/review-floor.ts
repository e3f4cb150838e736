import { Injectable } from '@nestjs/common';
import { SubmittedAssessments } from '../assessments/submitted-assessments';
import { AssessmentLifecycle, words } from '../assessments/assessment-lifecycle';
import type { Assessment } from '../assessments/entities/assessment.entity';
import { TenantContext } from '../common/tenant-context';
import { assertReviewer, type ReviewerRole } from './review-assignments';
import { ReviewWorkspace, type OpenedReview, type ReviewDetail } from './review-workspace';
import { VerificationErrorCode, VerificationException } from './verification.exception';

/** An assessment under review, opened by an assigned reviewer: the starting point of every reviewing act. */
export interface UnderReview {
  assessment: Assessment;
  detail: ReviewDetail & { opened: OpenedReview };
}

/**
 * Where reviewing acts begin: the assessment is locked, the caller checked as an assigned and declared
 * reviewer, and a newly (re)submitted round taken into review by the first act on it.
 */
@Injectable()
export class ReviewFloor {
  constructor(
    private readonly assessments: SubmittedAssessments,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly workspace: ReviewWorkspace,
    private readonly context: TenantContext,
  ) {}

  async enter(id: string, role?: ReviewerRole, options: { allowPending?: boolean } = {}): Promise<UnderReview> {
    const locked = await this.assessments.addressed(id, { lock: 'update' });
    const read = await this.workspace.detail(id, locked);
    assertReviewer(read.review, read.own.declaration, this.context.userId, role);
    const assessment = locked.state === 'submitted' ? await this.lifecycle.apply(locked, 'take') : locked;
    if (assessment.state !== 'in_review') {
      throw new VerificationException(VerificationErrorCode.NotUnderReview, `The assessment is ${words(assessment.state)}, not in review; nothing can be recorded on it now.`, { state: assessment.state });
    }
    // Taking the round into review changes the assessment only; what the detail read still holds.
    const detail = { ...read, assessment } as UnderReview['detail'];
    if (detail.opened.pending && !options.allowPending) {
      throw new VerificationException(VerificationErrorCode.DecisionPending, 'A decision is waiting for the second reviewer; it must be approved or returned first.', { decision: detail.opened.pending.id });
    }
    return { assessment, detail };
  }
}
