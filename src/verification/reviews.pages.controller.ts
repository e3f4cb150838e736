import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { words } from '../assessments/assessment-lifecycle';
import { OrgAccess, StepUp, VERIFIED_EMAIL } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { Decisions } from './decisions';
import { AssignReviewersDto } from './dto/assign-reviewers.dto';
import { DeclarationDto } from './dto/declaration.dto';
import { ProposeDecisionDto } from './dto/propose-decision.dto';
import { OptionalReasonDto, ReasonDto } from './dto/reason.dto';
import { RecordFindingDto } from './dto/record-finding.dto';
import { ReportQueryDto } from './dto/report-query.dto';
import { ReviewPageQueryDto } from './dto/review-page-query.dto';
import { ReviewQueueQueryDto } from './dto/review-queue-query.dto';
import { SectionSummaryDto } from './dto/section-summary.dto';
import { FindingsBook } from './findings-book';
import { QueuePageModel } from './queue.page';
import { ReportsPageModel } from './reports.page';
import { ReviewAssignments } from './review-assignments';
import { ReviewFormsFilter } from './review-forms.filter';
import { ReviewPageModel } from './review.page';
import { VERDICT_LABELS } from './review-cards.page';
import { ReviewQueue } from './review-queue';
import { VerificationReports } from './verification-reports';
import { VerifiedStatus } from './verified-status';

/** The monitoring body's pages: its queue, each review from assignment to decision and after, and its statistics. */
@ApiExcludeController()
@UseFilters(ReviewFormsFilter)
@Controller('app/:org')
export class ReviewsPagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly queue: ReviewQueue,
    private readonly assignments: ReviewAssignments,
    private readonly findings: FindingsBook,
    private readonly decisions: Decisions,
    private readonly status: VerifiedStatus,
    private readonly reports: VerificationReports,
    private readonly queuePage: QueuePageModel,
    private readonly reviewPage: ReviewPageModel,
    private readonly reportsPage: ReportsPageModel,
  ) {}

  @Get('reviews')
  @OrgAccess(Permission.ReviewsRead)
  @FormView('verification/queue', QueuePageModel)
  @Render('verification/queue')
  async list(@Query() query: ReviewQueueQueryDto, @Req() request: Request) {
    const items = await this.queue.list(query);
    return {
      ...(await this.queuePage.locals(request)),
      listed: true,
      items: items.map((item) => ({
        id: item.assessment.id,
        provider: item.provider,
        service: item.service,
        code: item.code,
        targetLevel: item.assessment.targetLevel,
        state: item.assessment.state,
        stateWords: words(item.assessment.state),
        round: item.assessment.round,
        submittedAt: item.assessment.submittedAt,
        ageDays: item.ageDays,
        lead: item.lead,
        second: item.second,
        mine: item.lead?.id === this.context.userId || item.second?.id === this.context.userId,
        decisionPending: item.decisionPending,
      })),
    };
  }

  @Get('reviews/:id')
  @OrgAccess(Permission.ReviewsRead)
  @Render('verification/review')
  async show(@Param('id', ParseUUIDPipe) _id: string, @Query() _query: ReviewPageQueryDto, @Req() request: Request) {
    return this.reviewPage.locals(request);
  }

  @Post('reviews/:id/assign')
  @OrgAccess(Permission.ReviewsAssign)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async assign(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignReviewersDto, @Req() request: Request) {
    const { names } = await this.assignments.assign(id, dto);
    setFlash(request, 'success', `${names.lead} leads the review and ${names.second} approves its decision. Each declares any conflict of interest before opening the submission.`);
    return this.back(id);
  }

  @Post('reviews/:id/declaration')
  @OrgAccess(Permission.ReviewsConduct)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async declare(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DeclarationDto, @Req() request: Request) {
    const declaration = await this.assignments.declare(id, dto);
    setFlash(
      request,
      'success',
      declaration.conflict
        ? 'You declared a conflict of interest: you cannot review this submission, and if you were assigned, an admin assigns someone else.'
        : 'You declared no conflict of interest; the submission is open to you.',
    );
    return this.back(id);
  }

  @Post('reviews/:id/findings/:requirementKey')
  @OrgAccess(Permission.ReviewsConduct)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async finding(@Param('id', ParseUUIDPipe) id: string, @Param('requirementKey') requirementKey: string, @Body() dto: RecordFindingDto, @Req() request: Request) {
    // The form always shows the comment and the note: a field left empty clears it.
    const finding = await this.findings.record(id, requirementKey, { ...dto, comment: dto.comment ?? null, internalNote: dto.internalNote ?? null });
    setFlash(request, 'success', `${finding.requirementKey}: ${VERDICT_LABELS[finding.verdict].toLowerCase()}, recorded for round ${finding.round}.`);
    return this.back(id, request, `req-${finding.requirementKey}`);
  }

  @Post('reviews/:id/sections/:sectionKey/summary')
  @OrgAccess(Permission.ReviewsConduct)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async summary(@Param('id', ParseUUIDPipe) id: string, @Param('sectionKey') sectionKey: string, @Body() dto: SectionSummaryDto, @Req() request: Request) {
    const summary = await this.findings.summarize(id, sectionKey, dto);
    setFlash(request, 'success', `The public summary of ${summary.sectionKey} is saved; the register shows it once the assessment is verified.`);
    return this.back(id, request, `section-${summary.sectionKey}`);
  }

  @Post('reviews/:id/request-changes')
  @OrgAccess(Permission.ReviewsConduct)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async requestChanges(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    await this.findings.requestChanges(id);
    setFlash(request, 'success', 'The findings went to the provider, and the assessment waits for its changes. It comes back to this queue when the provider submits again.');
    return this.back(id);
  }

  @Post('reviews/:id/decision')
  @StepUp()
  @OrgAccess(Permission.ReviewsConduct, VERIFIED_EMAIL)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async propose(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ProposeDecisionDto, @Req() request: Request) {
    // One form serves both outcomes; level, validity and conditions belong to a verification only.
    const input: ProposeDecisionDto = dto.outcome === 'rejected' ? { outcome: dto.outcome, publicSummary: dto.publicSummary } : dto;
    const decision = await this.decisions.propose(id, input);
    const terms = decision.outcome === 'verified' ? `verification at level ${decision.level} until ${decision.validUntil}` : 'rejection';
    setFlash(request, 'success', `You proposed ${terms}. It is final once the second reviewer approves it.`);
    return this.back(id, request, 'decision');
  }

  @Post('reviews/:id/decision/approve')
  @StepUp()
  @OrgAccess(Permission.ReviewsConduct, VERIFIED_EMAIL)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async approve(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    const decision = await this.decisions.approve(id);
    setFlash(
      request,
      'success',
      decision.outcome === 'verified'
        ? `Approved: verification ${decision.verificationId}, level ${decision.level}, valid until ${decision.validUntil}, is in the public register.`
        : 'Approved: the assessment is rejected, and the provider is told why.',
    );
    return this.back(id);
  }

  @Post('reviews/:id/decision/return')
  @OrgAccess(Permission.ReviewsConduct)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async giveBack(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto, @Req() request: Request) {
    await this.decisions.giveBack(id, dto.reason);
    setFlash(request, 'success', 'The proposal went back to the lead reviewer with your reason.');
    return this.back(id, request, 'decision');
  }

  @Post('reviews/:id/suspend')
  @StepUp()
  @OrgAccess(Permission.VerificationsManage, VERIFIED_EMAIL)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async suspend(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto, @Req() request: Request) {
    const entry = await this.status.change(id, 'suspend', dto.reason);
    setFlash(request, 'success', `Verification ${entry.verificationId} is suspended; the register shows it with your reason.`);
    return this.back(id, request, 'register');
  }

  @Post('reviews/:id/reinstate')
  @OrgAccess(Permission.VerificationsManage, VERIFIED_EMAIL)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async reinstate(@Param('id', ParseUUIDPipe) id: string, @Body() dto: OptionalReasonDto, @Req() request: Request) {
    const entry = await this.status.change(id, 'reinstate', dto.reason ?? null);
    setFlash(request, 'success', `Verification ${entry.verificationId} is reinstated and shows as verified again.`);
    return this.back(id, request, 'register');
  }

  @Post('reviews/:id/revoke')
  @StepUp()
  @OrgAccess(Permission.VerificationsManage, VERIFIED_EMAIL)
  @FormView('verification/review', ReviewPageModel)
  @Redirect()
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto, @Req() request: Request) {
    const entry = await this.status.change(id, 'revoke', dto.reason);
    setFlash(request, 'success', `Verification ${entry.verificationId} is revoked. This is final: the provider has to declare again to be verified.`);
    return this.back(id, request, 'register');
  }

  @Get('reports')
  @OrgAccess(Permission.ReportsRead)
  @FormView('verification/reports', ReportsPageModel)
  @Render('verification/reports')
  async statistics(@Query() query: ReportQueryDto, @Req() request: Request) {
    const statistics = await this.reports.statistics(query);
    const period = new URLSearchParams(statistics.period).toString();
    const api = `/api/v1/orgs/${this.context.organization.slug}`;
    return {
      ...(await this.reportsPage.locals(request)),
      period: statistics.period,
      statistics,
      byLevel: Object.entries(statistics.decisions.byLevel).map(([level, count]) => ({ level, count })),
      csv: `${api}/reports.csv?${period}`,
      json: `${api}/reports?${period}`,
    };
  }

  /** Back to the review, at the part just acted on; a form posted from a one-section view names that section. */
  private back(id: string, request?: Request, anchor?: string) {
    const section = typeof request?.query.section === 'string' ? `?section=${encodeURIComponent(request.query.section)}` : '';
    return { url: `/app/${this.context.organization.slug}/reviews/${id}${section}${anchor ? `#${anchor}` : ''}`, statusCode: 303 };
  }
}
