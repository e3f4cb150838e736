import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Assessment } from '../assessments/entities/assessment.entity';
import { SubmittedAssessments, type SubmittedFilter } from '../assessments/submitted-assessments';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { UsersService } from '../tenancy/users.service';
import type { QueueSort, ReviewQueueQueryDto } from './dto/review-queue-query.dto';
import { Decision } from './entities/decision.entity';
import { Review } from './entities/review.entity';

/** States still waiting for the monitoring body or the provider: what the queue shows by default. */
const UNDECIDED: readonly Assessment['state'][] = ['submitted', 'in_review', 'changes_requested'];

export interface QueueItem {
  assessment: Assessment;
  provider: { slug: string; name: string };
  service: string;
  code: { slug: string; title: string; version: string };
  /** Whole days since the latest round was submitted. */
  ageDays: number;
  lead: { id: string; name: string } | null;
  second: { id: string; name: string } | null;
  decisionPending: boolean;
}

/** The queue's orders in SQL: by age is oldest submission first, as by submission. */
const SORTS: Record<QueueSort, SubmittedFilter['sort']> = { age: 'submitted', submitted: 'submitted', provider: 'provider', code: 'code', state: 'state', level: 'level' };

/** The monitoring body's queue: every submission addressed to it, with who reviews it. */
@Injectable()
export class ReviewQueue {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly assessments: SubmittedAssessments,
    private readonly users: UsersService,
  ) {}

  async list(query: ReviewQueueQueryDto = {}, now = new Date()): Promise<QueueItem[]> {
    const addressed = await this.assessments.list({
      states: query.state === 'all' ? undefined : query.state ? [query.state] : UNDECIDED,
      code: query.code,
      level: query.level,
      among: query.mine ? await this.reviewedByMe() : undefined,
      sort: SORTS[query.sort ?? 'age'],
      order: query.order,
    });
    const ids = addressed.map(({ assessment }) => assessment.id);
    const [reviews, pending] = ids.length === 0 ? [[], []] : await Promise.all([
      this.tx.manager.getRepository(Review).findBy({ assessmentId: In(ids), organizationId: this.context.organizationId }),
      this.tx.manager.getRepository(Decision).findBy({ assessmentId: In(ids), organizationId: this.context.organizationId, status: 'proposed' }),
    ]);
    const reviewOf = new Map(reviews.map((review) => [review.assessmentId, review]));
    const names = await this.users.namesByIds(reviews.flatMap((review) => [review.leadReviewerId, review.secondReviewerId]));
    const person = (id: string | undefined) => (id ? { id, name: names.get(id) ?? '' } : null);
    return addressed.map((item): QueueItem => {
      const review = reviewOf.get(item.assessment.id);
      return {
        ...item,
        ageDays: Math.floor((now.getTime() - item.assessment.submittedAt!.getTime()) / 86_400_000),
        lead: person(review?.leadReviewerId),
        second: person(review?.secondReviewerId),
        decisionPending: pending.some((decision) => decision.assessmentId === item.assessment.id),
      };
    });
  }

  /** The assessments the caller reviews, as lead or second. */
  private async reviewedByMe(): Promise<string[]> {
    // An API token is no reviewer: nothing is assigned to it.
    if (!this.context.userId) return [];
    const reviews = await this.tx.manager.getRepository(Review).find({
      where: [
        { organizationId: this.context.organizationId, leadReviewerId: this.context.userId },
        { organizationId: this.context.organizationId, secondReviewerId: this.context.userId },
      ],
      select: { assessmentId: true },
    });
    return reviews.map((review) => review.assessmentId);
  }
}
