import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { TenantContext } from '../common/tenant-context';
import { AssessmentLifecycle, EDITABLE_STATES, submitMove, words } from './assessment-lifecycle';
import { AssessmentsService } from './assessments.service';

/** The submit page: what is still missing, and the signatory's declaration once nothing is. */
@Injectable()
export class SubmitFormModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly assessments: AssessmentsService,
    private readonly lifecycle: AssessmentLifecycle,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const detail = await this.assessments.detail(request.params.id as string);
    const base = `/app/${org.slug}/assessments/${detail.assessment.id}`;
    return {
      title: `Submit: ${detail.service.name}`,
      org,
      detail,
      base,
      action: `${base}/submit`,
      stateWords: words(detail.assessment.state),
      level: detail.code.version.levels[detail.assessment.targetLevel - 1],
      canSubmit: this.lifecycle.allows(detail.assessment, submitMove(detail.assessment)),
      submittable: EDITABLE_STATES.includes(detail.assessment.state),
      resubmitting: detail.assessment.state === 'changes_requested',
    };
  }
}
