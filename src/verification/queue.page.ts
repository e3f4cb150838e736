import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { words } from '../assessments/assessment-lifecycle';
import { ASSESSMENT_STATES } from '../assessments/assessment-states';
import { CodesService } from '../codes/codes.service';
import { TenantContext } from '../common/tenant-context';
import { FormModel } from '../web/form-view.decorator';
import { QUEUE_SORTS } from './dto/review-queue-query.dto';

const SORT_LABELS: Record<(typeof QUEUE_SORTS)[number], string> = {
  age: 'Age',
  submitted: 'Submitted',
  provider: 'Provider and service',
  code: 'Code and version',
  state: 'State',
  level: 'Target level',
};

/**
 * The queue's filter form, filled from the query it was sent with. The choices do not depend on the
 * queue, so a refused filter shows the same form again with its message beside the field.
 */
@Injectable()
export class QueuePageModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly codes: CodesService,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const sent = (name: string) => (typeof request.query[name] === 'string' ? (request.query[name] as string) : '');
    const codes = await this.codes.list();
    const deepest = Math.max(1, ...codes.map((summary) => summary.current.levels.length));
    return {
      title: 'Reviews',
      org,
      action: `/app/${org.slug}/reviews`,
      filters: { state: sent('state'), code: sent('code'), level: sent('level'), mine: ['true', '1'].includes(sent('mine')), sort: sent('sort') || 'age', order: sent('order') || 'asc' },
      states: [
        { value: '', label: 'Still to decide (submitted, in review, changes requested)' },
        { value: 'all', label: 'All' },
        ...ASSESSMENT_STATES.filter((state) => state !== 'draft').map((state) => ({ value: state, label: words(state) })),
      ],
      codes: codes.map((summary) => ({ value: summary.code.slug, label: summary.current.title })),
      levels: Array.from({ length: deepest }, (_, index) => String(index + 1)),
      sorts: QUEUE_SORTS.map((value) => ({ value, label: SORT_LABELS[value] })),
    };
  }
}
