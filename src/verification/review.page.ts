import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AssessmentLifecycle, words } from '../assessments/assessment-lifecycle';
import { Permission, roleAllows } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { FormModel } from '../web/form-view.decorator';
import { MembershipsService } from '../tenancy/memberships.service';
import type { Role } from '../access/roles';
import type { OpenedReview, ReviewDetail } from './review-workspace';
import { ReviewWorkspace } from './review-workspace';
import { addMonths, DEFAULT_VALIDITY_MONTHS, MAX_VALIDITY_MONTHS, todayUtc } from './validity';
import {
  ASSIGNABLE_STATES,
  cardOf,
  decisionView,
  FormState,
  type FindingValues,
  personName,
  postedText,
  REVIEWING_STATES,
  VERDICT_LABELS,
  VERDICT_OPTIONS,
} from './review-cards.page';

type FormFactory = <T>(name: string, action: string, stored: T, posted: () => T) => FormState<T>;

/** Which of the page's forms a failed post came from, e.g. `finding:LIC-01`, `decision/approve`. */
function postedForm(request: Request): string | null {
  if (request.method !== 'POST') return null;
  const [kind, ...rest] = request.path.split('/').slice(5);
  if (kind === 'findings') return `finding:${request.params.requirementKey as string}`;
  if (kind === 'sections') return `summary:${request.params.sectionKey as string}`;
  return [kind, ...rest].join('/');
}

/**
 * The review page: who reviews and who declared what, for everyone in the monitoring body; the
 * submission, requirement by requirement, once the reader has declared no conflict; and each form
 * only for the person who may use it. Shown again after a refused post, with what was typed.
 */
@Injectable()
export class ReviewPageModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly workspace: ReviewWorkspace,
    private readonly members: MembershipsService,
    private readonly lifecycle: AssessmentLifecycle,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const detail = await this.workspace.detail(request.params.id as string);
    const { assessment, opened, own } = detail;
    const base = `/app/${org.slug}/reviews/${assessment.id}`;
    const failed = postedForm(request);
    const body = (failed ? (request.body ?? {}) : {}) as Record<string, unknown>;
    const form: FormFactory = (name, action, stored, posted) => ({ action: `${base}/${action}`, failed: failed === name, values: failed === name ? posted() : stored });
    const names = detail.names;
    const canAssign = this.may(Permission.ReviewsAssign) && ASSIGNABLE_STATES.includes(assessment.state);
    const level = detail.code.version.levels[assessment.targetLevel - 1];

    return {
      title: `Review: ${detail.service} (${detail.provider.name})`,
      org,
      base,
      assessment,
      provider: detail.provider,
      service: detail.service,
      code: { slug: detail.code.slug, title: detail.code.version.title, version: detail.code.version.version },
      level,
      stateWords: words(assessment.state),
      assignment: detail.review
        ? { lead: personName(names, detail.review.leadReviewerId), second: personName(names, detail.review.secondReviewerId), assignedAt: detail.review.assignedAt, assignedBy: detail.review.assignedBy ? personName(names, detail.review.assignedBy) : null }
        : null,
      declarations: detail.declarations.map((declaration) => ({ ...declaration, name: personName(names, declaration.userId), own: declaration.userId === this.context.userId })),
      own: { role: own.role, declared: own.declaration !== null, conflict: own.declaration?.conflict ?? false },
      assignForm: canAssign ? await this.assignForm(detail, form, body) : null,
      declarationForm:
        !own.declaration && this.may(Permission.ReviewsConduct)
          ? form('declaration', 'declaration', { conflict: '', statement: '' }, () => ({ conflict: postedText(body, 'conflict'), statement: postedText(body, 'statement') }))
          : null,
      opened: opened ? this.openedLocals(detail as ReviewDetail & { opened: OpenedReview }, request, names, form, body) : null,
      registerEntry: detail.registerEntry,
      statusForms: detail.registerEntry
        ? {
            suspend: this.lifecycle.allows(assessment, 'suspend') ? form('suspend', 'suspend', { reason: '' }, () => ({ reason: postedText(body, 'reason') })) : null,
            reinstate: this.lifecycle.allows(assessment, 'reinstate') ? form('reinstate', 'reinstate', { reason: '' }, () => ({ reason: postedText(body, 'reason') })) : null,
            revoke: this.lifecycle.allows(assessment, 'revoke') ? form('revoke', 'revoke', { reason: '' }, () => ({ reason: postedText(body, 'reason') })) : null,
          }
        : null,
    };
  }

  private async assignForm(detail: ReviewDetail, form: FormFactory, body: Record<string, unknown>) {
    const conflicted = new Set(detail.declarations.filter((declaration) => declaration.conflict).map((declaration) => declaration.userId));
    const members = (await this.members.list()).map((member) => ({ userId: member.userId, name: member.name, role: member.role, conflicted: conflicted.has(member.userId) }));
    const stored = { lead: detail.review?.leadReviewerId ?? '', second: detail.review?.secondReviewerId ?? '' };
    const state = form('assign', 'assign', stored, () => ({ lead: postedText(body, 'lead'), second: postedText(body, 'second') }));
    // After a conflict the form carries the version just shown, so assigning again replaces it knowingly.
    return { ...state, members, version: detail.review?.version ?? null, reassigning: detail.review !== null };
  }

  private openedLocals(
    detail: ReviewDetail & { opened: OpenedReview },
    request: Request,
    names: ReadonlyMap<string, string>,
    form: FormFactory,
    body: Record<string, unknown>,
  ) {
    const { assessment, opened, own } = detail;
    const org = this.context.organization;
    const reviewing = REVIEWING_STATES.includes(assessment.state) && this.may(Permission.ReviewsConduct);
    const canRecord = reviewing && own.role !== null && !opened.pending;
    const wanted = typeof request.query.section === 'string' ? request.query.section : undefined;
    const chosen = opened.sections.find(({ section }) => section.key === wanted);
    const sectionQuery = chosen ? `?section=${encodeURIComponent(chosen.section.key)}` : '';
    const download = own.role ? { download: `/api/v1/orgs/${org.slug}/reviews/${assessment.id}/evidence`, links: opened.linkAddresses } : null;
    const previousRound = opened.previous?.round ?? null;
    const requested = opened.requirements.filter((item) => item.verdict === 'changes_requested' || item.verdict === 'rejected');
    const pending = opened.pending;
    const suggestion = opened.suggestion;
    const levels = detail.code.version.levels;

    const sections = (chosen ? [chosen] : opened.sections).map(({ section, requirements, summary, counts }) => ({
      key: section.key,
      title: section.title,
      summary: section.summary,
      counts,
      publicSummary: summary ? { text: summary.publicSummary, by: personName(names, summary.updatedBy), at: summary.updatedAt } : null,
      summaryForm: canRecord
        ? form(`summary:${section.key}`, `sections/${encodeURIComponent(section.key)}/summary${sectionQuery}`, { publicSummary: summary?.publicSummary ?? '', version: summary?.version ?? null }, () => ({
            publicSummary: postedText(body, 'publicSummary'),
            // After a conflict the form carries the version just shown, so saving again replaces it knowingly.
            version: summary?.version ?? null,
          }))
        : null,
      cards: requirements.map((item) => {
        const stored: FindingValues = { verdict: item.finding?.verdict ?? '', comment: item.finding?.comment ?? '', internalNote: item.finding?.note ?? '', version: item.finding?.version ?? null };
        return cardOf(item, {
          names,
          download,
          previousRound,
          form: canRecord
            ? form(`finding:${item.requirement.key}`, `findings/${encodeURIComponent(item.requirement.key)}${sectionQuery}`, stored, () => ({
                verdict: postedText(body, 'verdict'),
                comment: postedText(body, 'comment'),
                internalNote: postedText(body, 'internalNote'),
                version: stored.version,
              }))
            : null,
        });
      }),
    }));

    const suggestedLevel = suggestion.level;
    const proposeStored = { outcome: 'verified', level: String(suggestedLevel > 0 ? suggestedLevel : 1), validUntil: addMonths(todayUtc(), DEFAULT_VALIDITY_MONTHS), conditions: '', publicSummary: '' };
    const proposeForm =
      canRecord && own.role === 'lead'
        ? form('decision', 'decision', proposeStored, () => ({
            outcome: postedText(body, 'outcome'),
            level: postedText(body, 'level'),
            validUntil: postedText(body, 'validUntil'),
            conditions: postedText(body, 'conditions'),
            publicSummary: postedText(body, 'publicSummary'),
          }))
        : null;
    const settles = reviewing && own.role === 'second' && pending !== null && pending.proposedBy !== this.context.userId;

    return {
      round: opened.submission.round,
      submittedAt: opened.submission.submittedAt,
      signatory: { name: opened.submission.signatoryName, title: opened.submission.signatoryTitle },
      previousRound,
      nav: opened.sections.map(({ section, counts }) => ({ key: section.key, title: section.title, counts, current: chosen?.section.key === section.key })),
      showingAll: !chosen,
      sections,
      requested: requested.map((item) => ({ key: item.requirement.key, sectionKey: item.sectionKey, verdictLabel: VERDICT_LABELS[item.verdict!] })),
      requestChanges: canRecord && own.role === 'lead' && requested.length > 0 ? form('request-changes', 'request-changes', {}, () => ({})) : null,
      verdictOptions: VERDICT_OPTIONS,
      suggestion: {
        level: suggestedLevel,
        levelName: suggestedLevel > 0 ? levels[suggestedLevel - 1]?.name : null,
        nextLevel: suggestion.missing.length > 0 ? suggestedLevel + 1 : null,
        missing: suggestion.missing.map((item) => ({ ...item, verdictLabel: item.verdict ? VERDICT_LABELS[item.verdict] : 'open', sectionKey: opened.requirements.find((candidate) => candidate.requirement.key === item.requirementKey)?.sectionKey })),
      },
      proposeForm: proposeForm
        ? {
            ...proposeForm,
            levels: levels.slice(0, assessment.targetLevel).map((candidate, index) => ({ value: String(index + 1), name: candidate.name, earned: index + 1 <= suggestedLevel })),
            defaultValidUntil: proposeStored.validUntil,
            defaultMonths: DEFAULT_VALIDITY_MONTHS,
            maxMonths: MAX_VALIDITY_MONTHS,
          }
        : null,
      pending: pending ? decisionView(pending, names) : null,
      approveForm: settles ? form('decision/approve', 'decision/approve', {}, () => ({})) : null,
      returnForm: settles ? form('decision/return', 'decision/return', { reason: '' }, () => ({ reason: postedText(body, 'reason') })) : null,
      waitingForSecond: pending !== null && !settles,
      earlier: opened.decisions.filter((decision) => decision.status !== 'proposed').map((decision) => decisionView(decision, names)),
    };
  }

  private may(permission: Permission): boolean {
    return roleAllows(this.context.organization.role as Role | undefined, permission);
  }
}
