import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { TenantContext } from '../common/tenant-context';
import { EvidenceLibrary } from '../evidence/evidence-library';
import { AssessmentLifecycle, EDITABLE_STATES, submitMove, words } from './assessment-lifecycle';
import { AssessmentsService } from './assessments.service';
import { Permission, roleAllows } from '../access/permissions';
import type { Role } from '../access/roles';
import { CodesService } from '../codes/codes.service';
import { ReviewFeedback } from './review-feedback';
import { CLAIM_OPTIONS, cardOf, gapsByKey, PostedAnswer, sectionNav } from './answer-cards.page';

/** States from which a provider renews: a new declaration carried forward from this one. */
const RENEWABLE = ['verified', 'suspended', 'expired'];

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
    private readonly feedback: ReviewFeedback,
    private readonly codes: CodesService,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const detail = await this.assessments.detail(request.params.id as string);
    const wanted = (request.params.section as string | undefined) ?? (typeof request.query.section === 'string' ? request.query.section : undefined);
    // After a carry forward to a new code version, only the new and changed requirements need a look.
    const onlyChanged = request.query.only === 'changed';
    const shown = onlyChanged ? detail.sections.map((section) => ({ ...section, answers: section.answers.filter(({ answer }) => answer.carried === 'new' || answer.carried === 'changed') })).filter((section) => section.answers.length > 0) : detail.sections;
    const current = shown.find(({ section }) => section.key === wanted) ?? shown[0];
    const standing = await this.feedback.of(detail.assessment);
    const carriedChanges = detail.answers.filter(({ answer }) => answer.carried === 'new' || answer.carried === 'changed').length;
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
      sections: sectionNav({ ...detail, sections: shown }, current?.section.key ?? ''),
      section: current?.section,
      sectionProgress: current?.progress,
      cards:
        current?.answers.map((answer) => ({
          ...cardOf(answer, library, gaps.get(answer.answer.requirementKey) ?? [], posted[answer.answer.requirementKey]),
          findings: standing.findings.get(answer.answer.requirementKey) ?? [],
        })) ?? [],
      standing,
      findingsToAnswer: detail.assessment.state === 'changes_requested' ? [...standing.findings].filter(([, [latest]]) => latest.round === detail.assessment.round && latest.verdict !== 'accepted').map(([key]) => ({ key, sectionKey: detail.answers.find(({ answer }) => answer.requirementKey === key)?.sectionKey })) : [],
      onlyChanged,
      carriedChanges,
      renewal: RENEWABLE.includes(detail.assessment.state) && roleAllows(org.role as Role | undefined, Permission.AssessmentsEdit) ? await this.renewalLink(detail) : null,
      action: current ? `${base}/sections/${current.section.key}` : base,
      gaps: detail.gaps.slice(0, 20),
      moreGaps: Math.max(0, detail.gaps.length - 20),
      claimOptions: CLAIM_OPTIONS,
      editable,
      canSubmit: this.lifecycle.allows(detail.assessment, submitMove(detail.assessment)),
      canWithdraw: this.lifecycle.allows(detail.assessment, 'withdraw'),
    };
  }

  /** The start form, filled in to renew this declaration against the code's current version. */
  private async renewalLink(detail: Awaited<ReturnType<AssessmentsService['detail']>>): Promise<string> {
    const current = (await this.codes.code(detail.code.slug)).current;
    const query = new URLSearchParams({
      code: detail.code.slug,
      version: current.version,
      serviceId: detail.service.id,
      monitoringBody: detail.monitoringBody.slug,
      targetLevel: String(detail.assessment.targetLevel),
      copyFrom: detail.assessment.id,
    });
    return `/app/${this.context.organization.slug}/assessments/new?${query.toString()}`;
  }
}
