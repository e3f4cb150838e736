import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { SubmittedAssessments } from '../assessments/submitted-assessments';
import type { Assessment } from '../assessments/entities/assessment.entity';
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

const SORTS: Record<QueueSort, (a: QueueItem, b: QueueItem) => number> = {
  age: (a, b) => b.ageDays - a.ageDays || a.assessment.submittedAt!.getTime() - b.assessment.submittedAt!.getTime(),
  submitted: (a, b) => a.assessment.submittedAt!.getTime() - b.assessment.submittedAt!.getTime(),
  provider: (a, b) => a.provider.name.localeCompare(b.provider.name) || a.service.localeCompare(b.service),
  code: (a, b) => a.code.slug.localeCompare(b.code.slug) || a.code.version.localeCompare(b.code.version),
  state: (a, b) => a.assessment.state.localeCompare(b.assessment.state),
  level: (a, b) => a.assessment.targetLevel - b.assessment.targetLevel,
};

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
    const addressed = (await this.assessments.addressedList()).filter(
      ({ assessment, code }) =>
        (query.state === 'all' || (query.state ? assessment.state === query.state : UNDECIDED.includes(assessment.state))) &&
        (!query.code || code.slug === query.code) &&
        (!query.level || assessment.targetLevel === query.level),
    );
    const ids = addressed.map(({ assessment }) => assessment.id);
    const [reviews, pending] = ids.length === 0 ? [[], []] : await Promise.all([
      this.tx.manager.getRepository(Review).findBy({ assessmentId: In(ids), organizationId: this.context.organizationId }),
      this.tx.manager.getRepository(Decision).findBy({ assessmentId: In(ids), organizationId: this.context.organizationId, status: 'proposed' }),
    ]);
    const reviewOf = new Map(reviews.map((review) => [review.assessmentId, review]));
    const names = await this.users.namesByIds(reviews.flatMap((review) => [review.leadReviewerId, review.secondReviewerId]));
    const person = (id: string | undefined) => (id ? { id, name: names.get(id) ?? '' } : null);
    const items = addressed
      .map((item): QueueItem => {
        const review = reviewOf.get(item.assessment.id);
        return {
          ...item,
          ageDays: Math.floor((now.getTime() - item.assessment.submittedAt!.getTime()) / 86_400_000),
          lead: person(review?.leadReviewerId),
          second: person(review?.secondReviewerId),
          decisionPending: pending.some((decision) => decision.assessmentId === item.assessment.id),
        };
      })
      .filter((item) => !query.mine || item.lead?.id === this.context.userId || item.second?.id === this.context.userId);
    const sorted = items.sort(SORTS[query.sort ?? 'age']);
    return query.order === 'desc' ? sorted.reverse() : sorted;
  }
}
