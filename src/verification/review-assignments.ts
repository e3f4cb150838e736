import { Injectable } from '@nestjs/common';
import { SubmittedAssessments } from '../assessments/submitted-assessments';
import { AssessmentLifecycle, words } from '../assessments/assessment-lifecycle';
import type { Assessment } from '../assessments/entities/assessment.entity';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import { MembershipsService } from '../tenancy/memberships.service';
import type { AssignReviewersDto } from './dto/assign-reviewers.dto';
import type { DeclarationDto } from './dto/declaration.dto';
import { ReviewDeclaration } from './entities/review-declaration.entity';
import { Review } from './entities/review.entity';
import { VerificationErrorCode, VerificationException } from './verification.exception';

/** The states in which who reviews may still change. */
const ASSIGNABLE: readonly Assessment['state'][] = ['submitted', 'in_review', 'changes_requested'];

export type ReviewerRole = 'lead' | 'second';

/** An assignment as made, with the names of the two people it names. */
export interface MadeAssignment {
  review: Review;
  names: Record<ReviewerRole, string>;
}

/**
 * Who reviews what: an admin assigns two different people, each of whom declares, once per
 * assessment, whether they have a conflict of interest. A conflict rules the person out, and
 * recuses them if they were assigned.
 */
@Injectable()
export class ReviewAssignments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly assessments: SubmittedAssessments,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly members: MembershipsService,
    private readonly notifications: Notifications,
  ) {}

  review(assessmentId: string): Promise<Review | null> {
    return this.tx.manager.getRepository(Review).findOneBy({ assessmentId, organizationId: this.context.organizationId });
  }

  declarations(assessmentId: string): Promise<ReviewDeclaration[]> {
    return this.tx.manager.getRepository(ReviewDeclaration).find({ where: { assessmentId, organizationId: this.context.organizationId }, order: { declaredAt: 'ASC' } });
  }

  async assign(id: string, input: AssignReviewersDto): Promise<MadeAssignment> {
    const assessment = await this.assessments.addressed(id, { lock: 'update' });
    if (!ASSIGNABLE.includes(assessment.state)) {
      throw new VerificationException(VerificationErrorCode.NotUnderReview, `Reviewers cannot be assigned: the assessment is ${words(assessment.state)}; they can be while it is submitted, in review or waiting for changes.`, { state: assessment.state });
    }
    if (input.lead === input.second) {
      throw new VerificationException(VerificationErrorCode.SameReviewer, 'The lead and the second reviewer must be two different people.', { second: ['must be a different person from the lead reviewer'] });
    }
    const members = new Map((await this.members.list()).map((member) => [member.userId, member]));
    const conflicted = new Set((await this.declarations(id)).filter((declaration) => declaration.conflict).map((declaration) => declaration.userId));
    for (const field of ['lead', 'second'] as const) {
      const member = members.get(input[field]);
      if (!member) throw new VerificationException(VerificationErrorCode.NotReviewer, `The ${field} reviewer is not a member of this monitoring body.`, { [field]: ['must be a member of your monitoring body'] });
      if (conflicted.has(member.userId)) {
        throw new VerificationException(VerificationErrorCode.Conflicted, `${member.name} declared a conflict of interest with this provider and cannot review it.`, { [field]: [`${member.name} declared a conflict of interest`] });
      }
    }
    const repository = this.tx.manager.getRepository(Review);
    const existing = await this.review(id);
    if (existing) {
      if (input.version === undefined) {
        throw new VerificationException(VerificationErrorCode.AlreadyAssigned, `Reviewers are already assigned (version ${existing.version}); send that version to reassign.`, { version: existing.version });
      }
      if (input.version !== existing.version) {
        throw new VerificationException(VerificationErrorCode.Stale, `Someone changed the assignment at ${existing.assignedAt.toISOString()}; it is now at version ${existing.version}. Reload it before you reassign.`, { version: existing.version });
      }
    }
    const assignment = { leadReviewerId: input.lead, secondReviewerId: input.second, assignedBy: this.context.userId ?? null, assignedAt: new Date() };
    if (existing) await repository.update({ assessmentId: id }, { ...assignment, version: existing.version + 1 });
    else await repository.insert({ assessmentId: id, organizationId: this.context.organizationId, ...assignment, version: 1 });
    await this.audit.record({
      action: existing ? 'review.reassigned' : 'review.assigned',
      targetType: 'assessment',
      targetId: id,
      data: { lead: input.lead, second: input.second, ...(existing ? { previous: { lead: existing.leadReviewerId, second: existing.secondReviewerId } } : {}) },
    });
    if (assessment.state === 'submitted') await this.lifecycle.apply(assessment, 'take');
    const review = (await this.review(id))!;
    await this.notifications.enqueue({
      event: 'assigned',
      organizationId: this.context.organizationId,
      to: { userIds: [input.lead, input.second] },
      subject: `You are assigned to review ${this.label(assessment)}`,
      text: `${members.get(input.lead)!.name} leads the review and ${members.get(input.second)!.name} approves its decision. Declare any conflict of interest before you open the submission.`,
      link: `/app/${this.context.organization.slug}/reviews/${id}`,
      key: `assigned:${id}:${review.version}`,
    });
    return { review, names: { lead: members.get(input.lead)!.name, second: members.get(input.second)!.name } };
  }

  /** The caller's statement. With a conflict, the caller can never be assigned, and leaves the review if assigned. */
  async declare(id: string, input: DeclarationDto): Promise<ReviewDeclaration> {
    const assessment = await this.assessments.addressed(id, { lock: 'update' });
    const userId = this.context.userId!;
    const repository = this.tx.manager.getRepository(ReviewDeclaration);
    const earlier = await repository.findOneBy({ assessmentId: id, userId });
    if (earlier) {
      throw new VerificationException(VerificationErrorCode.AlreadyDeclared, `You declared ${earlier.conflict ? 'a conflict of interest' : 'no conflict of interest'} on ${earlier.declaredAt.toISOString()}; a declaration is made once and kept.`);
    }
    const declaration = repository.create({ organizationId: this.context.organizationId, assessmentId: id, userId, conflict: input.conflict, statement: input.statement, declaredAt: new Date() });
    await repository.insert(declaration);
    await this.audit.record({ action: 'review.declared', targetType: 'assessment', targetId: id, data: { conflict: input.conflict } });
    const review = await this.review(id);
    const role = review ? roleOf(review, userId) : null;
    if (input.conflict && review && role) {
      // Both reviewers are needed, so the assignment goes and an admin assigns two people again.
      await this.tx.manager.getRepository(Review).delete({ assessmentId: id });
      await this.audit.record({ action: 'review.recused', targetType: 'assessment', targetId: id, data: { userId, role, state: assessment.state } });
    }
    return declaration;
  }

  /** Refuses anyone but an assigned reviewer (in `role`, if given) who has declared no conflict. */
  async requireReviewer(assessment: Assessment, role?: ReviewerRole): Promise<Review> {
    const userId = this.context.userId;
    const [review, declaration] = await Promise.all([
      this.review(assessment.id),
      userId ? this.tx.manager.getRepository(ReviewDeclaration).findOneBy({ assessmentId: assessment.id, userId }) : null,
    ]);
    return assertReviewer(review, declaration, userId, role);
  }

  private label(assessment: Assessment): string {
    return `a declaration of adherence (round ${assessment.round}, level ${assessment.targetLevel})`;
  }
}

/**
 * The rule for every reviewing act: the caller is assigned (in `role`, if given) and has declared no
 * conflict of interest. Takes what the caller has already read.
 */
export function assertReviewer(review: Review | null, declaration: ReviewDeclaration | null, userId: string | undefined, role?: ReviewerRole): Review {
  const own = review && userId ? roleOf(review, userId) : null;
  if (!review || !own || (role && own !== role)) {
    const needed = role === 'lead' ? 'the lead reviewer' : role === 'second' ? 'the second reviewer' : 'a reviewer assigned to it';
    throw new VerificationException(VerificationErrorCode.NotAssigned, `Only ${needed} can do this on this assessment.`);
  }
  if (!declaration) throw new VerificationException(VerificationErrorCode.NotDeclared, 'Declare whether you have a conflict of interest with this provider before you open its submission.');
  if (declaration.conflict) throw new VerificationException(VerificationErrorCode.NotDeclared, 'You declared a conflict of interest with this provider, so you cannot open its submission.');
  return review;
}

export function roleOf(review: Review, userId: string): ReviewerRole | null {
  if (review.leadReviewerId === userId) return 'lead';
  if (review.secondReviewerId === userId) return 'second';
  return null;
}
