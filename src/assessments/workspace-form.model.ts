import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../common/web/form-view.decorator';
import { TenantContext } from '../common/tenant-context';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { AssessmentLifecycle, EDITABLE_STATES, words } from './assessment-lifecycle';
import { AssessmentsService } from './assessments.service';
import { Permission, roleAllows } from '../auth/permissions';
import type { Role } from '../tenancy/roles';
import { CLAIM_OPTIONS, cardOf, gapsByKey, PostedAnswer, sectionNav } from './workspace.views';

/**
 * The assessment workspace: one section's requirements as cards in one form, with the progress of
 * every section. Shown again after a refused save with what the person typed, and, where someone
 * else saved in the meantime, what they saved.
 */
@Injectable()
export class WorkspaceFormModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly assessments: AssessmentsService,
    private readonly library: EvidenceLibrary,
    private readonly lifecycle: AssessmentLifecycle,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const detail = await this.assessments.detail(request.params.id as string);
    const wanted = (request.params.section as string | undefined) ?? (typeof request.query.section === 'string' ? request.query.section : undefined);
    const current = detail.sections.find(({ section }) => section.key === wanted) ?? detail.sections[0];
    const posted = request.method === 'POST' ? ((request.body as { answers?: Record<string, PostedAnswer> } | undefined)?.answers ?? {}) : {};
    const editable = EDITABLE_STATES.includes(detail.assessment.state) && roleAllows(org.role as Role | undefined, Permission.AssessmentsEdit);
    const library = editable ? await this.library.list() : [];
    const gaps = gapsByKey(detail);
    const base = `/app/${org.slug}/assessments/${detail.assessment.id}`;
    return {
      title: `${detail.service.name}: ${detail.code.version.title} ${detail.code.version.version}`,
      org,
      detail,
      base,
      stateWords: words(detail.assessment.state),
      level: detail.code.version.levels[detail.assessment.targetLevel - 1],
      sections: sectionNav(detail, current?.section.key ?? ''),
      section: current?.section,
      sectionProgress: current?.progress,
      cards: current?.answers.map((answer) => cardOf(answer, library, gaps.get(answer.answer.requirementKey) ?? [], posted[answer.answer.requirementKey])) ?? [],
      action: current ? `${base}/sections/${current.section.key}` : base,
      gaps: detail.gaps.slice(0, 20),
      moreGaps: Math.max(0, detail.gaps.length - 20),
      claimOptions: CLAIM_OPTIONS,
      editable,
      canSubmit: this.lifecycle.allows(detail.assessment, 'submit'),
      canWithdraw: this.lifecycle.allows(detail.assessment, 'withdraw'),
    };
  }
}
