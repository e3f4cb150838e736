import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrgAccess, StepUp, VERIFIED_EMAIL } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { PositiveIntPipe } from '../common/validation/positive-int.pipe';
import { download } from '../evidence/revision-download';
import { Decisions } from './decisions';
import { AssignReviewersDto } from './dto/assign-reviewers.dto';
import { DeclarationDto } from './dto/declaration.dto';
import { ProposeDecisionDto } from './dto/propose-decision.dto';
import { OptionalReasonDto, ReasonDto } from './dto/reason.dto';
import { RecordFindingDto } from './dto/record-finding.dto';
import { ReviewQueueQueryDto } from './dto/review-queue-query.dto';
import { SectionSummaryDto } from './dto/section-summary.dto';
import { FindingsBook } from './findings-book';
import { ReviewAssignments } from './review-assignments';
import { ReviewQueue } from './review-queue';
import { ReviewWorkspace } from './review-workspace';
import { ReviewerEvidence } from './reviewer-evidence';
import { decisionJson, declarationJson, findingJson, queueItemJson, registerEntryJson, reviewDetailJson, reviewJson, summaryJson } from './reviews.mapper';
import { VerifiedStatus } from './verified-status';

/** A monitoring body's reviews, from its queue to the decision and what follows it. */
@ApiTags('reviews')
@Controller('api/v1/orgs/:org/reviews')
export class ReviewsController {
  constructor(
    private readonly queue: ReviewQueue,
    private readonly workspace: ReviewWorkspace,
    private readonly assignments: ReviewAssignments,
    private readonly evidence: ReviewerEvidence,
    private readonly findings: FindingsBook,
    private readonly decisions: Decisions,
    private readonly status: VerifiedStatus,
  ) {}

  @Get()
  @OrgAccess(Permission.ReviewsRead)
  async list(@Query() query: ReviewQueueQueryDto) {
    return (await this.queue.list(query)).map(queueItemJson);
  }

  /** Who and what for everyone in the monitoring body; the submission itself once you have declared no conflict. */
  @Get(':id')
  @OrgAccess(Permission.ReviewsRead)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return reviewDetailJson(await this.workspace.detail(id));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @OrgAccess(Permission.ReviewsAssign)
  async assign(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignReviewersDto) {
    return reviewJson((await this.assignments.assign(id, dto)).review);
  }

  @Post(':id/declaration')
  @OrgAccess(Permission.ReviewsConduct)
  async declare(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DeclarationDto) {
    return declarationJson(await this.assignments.declare(id, dto));
  }

  @Get(':id/evidence/:evidenceId/revisions/:number/content')
  @OrgAccess(Permission.ReviewsConduct)
  async content(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('evidenceId', ParseUUIDPipe) evidenceId: string,
    @Param('number', PositiveIntPipe) number: number,
    @Res({ passthrough: true }) response: Response,
  ) {
    return download(response, await this.evidence.content(id, evidenceId, number), `evidence-${number}.txt`);
  }

  @Put(':id/findings/:requirementKey')
  @OrgAccess(Permission.ReviewsConduct)
  async finding(@Param('id', ParseUUIDPipe) id: string, @Param('requirementKey') requirementKey: string, @Body() dto: RecordFindingDto) {
    return findingJson(await this.findings.record(id, requirementKey, dto));
  }

  @Put(':id/sections/:sectionKey/summary')
  @OrgAccess(Permission.ReviewsConduct)
  async summary(@Param('id', ParseUUIDPipe) id: string, @Param('sectionKey') sectionKey: string, @Body() dto: SectionSummaryDto) {
    return summaryJson(await this.findings.summarize(id, sectionKey, dto));
  }

  @Post(':id/request-changes')
  @HttpCode(200)
  @OrgAccess(Permission.ReviewsConduct)
  async requestChanges(@Param('id', ParseUUIDPipe) id: string) {
    return reviewDetailJson(await this.findings.requestChanges(id));
  }

  @Post(':id/decision')
  @StepUp()
  @OrgAccess(Permission.ReviewsConduct, VERIFIED_EMAIL)
  async propose(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ProposeDecisionDto) {
    return decisionJson(await this.decisions.propose(id, dto));
  }

  @Post(':id/decision/approve')
  @StepUp()
  @HttpCode(200)
  @OrgAccess(Permission.ReviewsConduct, VERIFIED_EMAIL)
  async approve(@Param('id', ParseUUIDPipe) id: string) {
    return decisionJson(await this.decisions.approve(id));
  }

  @Post(':id/decision/return')
  @HttpCode(200)
  @OrgAccess(Permission.ReviewsConduct)
  async giveBack(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto) {
    return decisionJson(await this.decisions.giveBack(id, dto.reason));
  }

  @Post(':id/suspend')
  @StepUp()
  @HttpCode(200)
  @OrgAccess(Permission.VerificationsManage, VERIFIED_EMAIL)
  async suspend(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto) {
    return registerEntryJson(await this.status.change(id, 'suspend', dto.reason));
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @OrgAccess(Permission.VerificationsManage, VERIFIED_EMAIL)
  async reinstate(@Param('id', ParseUUIDPipe) id: string, @Body() dto: OptionalReasonDto) {
    return registerEntryJson(await this.status.change(id, 'reinstate', dto.reason ?? null));
  }

  @Post(':id/revoke')
  @StepUp()
  @HttpCode(200)
  @OrgAccess(Permission.VerificationsManage, VERIFIED_EMAIL)
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto) {
    return registerEntryJson(await this.status.change(id, 'revoke', dto.reason));
  }
}
