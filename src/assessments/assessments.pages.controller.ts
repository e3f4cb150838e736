import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrgAccess, VERIFIED_EMAIL } from '../access/access.decorator';
import { Permission, roleAllows } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { validateInput } from '../common/validation/validation.pipe';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import type { Role } from '../access/roles';
import { AnswerSaving } from './answer-saving';
import { AnswersImport } from './answers-import';
import { AssessmentSigning } from './assessment-signing';
import { AssessmentStart } from './assessment-start';
import { words } from './assessment-lifecycle';
import { AssessmentsService } from './assessments.service';
import { percent } from './readiness';
import { readAnswersFile } from './answers-upload';
import { StartPageQueryDto, WorkspaceQueryDto } from './dto/page-queries.dto';
import { SaveSectionDto } from './dto/save-section.dto';
import { StartAssessmentDto } from './dto/start-assessment.dto';
import { SubmitAssessmentDto } from './dto/submit-assessment.dto';
import { StartFormModel } from './start-form.page';
import { SubmitFormModel } from './submit-form.page';
import { WorkspaceFormModel } from './workspace-form.page';
import { CLAIM_LABELS, postedEvidenceIds, type PostedAnswer } from './answer-cards.page';

/** A provider's pages for its declarations: list, start, work through the requirements, submit. */
@ApiExcludeController()
@Controller('app/:org/assessments')
export class AssessmentsPagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly assessments: AssessmentsService,
    private readonly starting: AssessmentStart,
    private readonly signing: AssessmentSigning,
    private readonly answers: AnswerSaving,
    private readonly answersImport: AnswersImport,
    private readonly startForm: StartFormModel,
    private readonly workspace: WorkspaceFormModel,
    private readonly submitForm: SubmitFormModel,
  ) {}

  @Get()
  @OrgAccess(Permission.AssessmentsRead)
  @Render('assessments/list')
  async list() {
    const summaries = await this.assessments.list();
    return {
      title: 'Assessments',
      org: this.context.organization,
      assessments: summaries.map((summary) => ({ ...summary, stateWords: words(summary.assessment.state), percent: percent(summary.answered, summary.total) })),
      canEdit: this.may(Permission.AssessmentsEdit),
    };
  }

  @Get('new')
  @OrgAccess(Permission.AssessmentsEdit)
  @Render('assessments/new')
  async newForm(@Query() query: StartPageQueryDto, @Req() request: Request) {
    const { serviceId, monitoringBody, targetLevel, copyFrom } = query;
    return { ...(await this.startForm.locals(request)), values: { targetLevel: targetLevel ?? 1, serviceId, monitoringBody, copyFrom } };
  }

  @Post()
  @OrgAccess(Permission.AssessmentsEdit)
  @FormView('assessments/new', StartFormModel)
  @Redirect()
  async start(@Body() dto: StartAssessmentDto, @Req() request: Request) {
    const detail = await this.starting.start(dto);
    setFlash(request, 'success', `The assessment of ${detail.service.name} is started: ${detail.answers.length} requirements apply.`);
    return { url: `/app/${this.context.organization.slug}/assessments/${detail.assessment.id}`, statusCode: 303 };
  }

  @Get(':id')
  @OrgAccess(Permission.AssessmentsRead)
  @Render('assessments/workspace')
  async show(@Param('id', ParseUUIDPipe) _id: string, @Query() _query: WorkspaceQueryDto, @Req() request: Request) {
    return this.workspace.locals(request);
  }

  /** Saves one section's form: only the answers that changed, all of them or none. */
  @Post(':id/sections/:section')
  @OrgAccess(Permission.AssessmentsEdit)
  @FormView('assessments/workspace', WorkspaceFormModel)
  @Redirect()
  async saveSection(@Param('id', ParseUUIDPipe) id: string, @Param('section') section: string, @Req() request: Request) {
    const posted = ((request.body as { answers?: Record<string, PostedAnswer> }).answers ?? {}) as Record<string, PostedAnswer>;
    const input = await validateInput(SaveSectionDto, {
      answers: Object.entries(posted).map(([requirementKey, answer]) => ({
        requirementKey,
        claim: answer.claim ?? null,
        statement: answer.statement ?? null,
        justification: answer.justification ?? null,
        evidenceIds: postedEvidenceIds(answer),
        version: answer.version,
      })),
    });
    const saved = await this.answers.saveSection(id, input.answers);
    setFlash(request, 'success', saved.length === 0 ? 'Nothing had changed.' : `Saved ${saved.map((answer) => answer.requirementKey).join(', ')}.`);
    return { url: `/app/${this.context.organization.slug}/assessments/${id}?section=${encodeURIComponent(section)}`, statusCode: 303 };
  }

  @Get(':id/submit')
  @OrgAccess(Permission.AssessmentsRead)
  @Render('assessments/submit')
  async submitPage(@Param('id', ParseUUIDPipe) _id: string, @Req() request: Request) {
    return { ...(await this.submitForm.locals(request)), values: { signatory: {} } };
  }

  @Post(':id/submit')
  @OrgAccess(Permission.AssessmentsSign, VERIFIED_EMAIL)
  @FormView('assessments/submit', SubmitFormModel)
  @Redirect()
  async submit(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SubmitAssessmentDto, @Req() request: Request) {
    const detail = await this.signing.submit(id, dto);
    setFlash(request, 'success', `Submitted to ${detail.monitoringBody.name}, signed by ${dto.signatory.name}. Answers can no longer change unless the monitoring body asks for changes.`);
    return { url: `/app/${this.context.organization.slug}/assessments/${id}`, statusCode: 303 };
  }

  @Post(':id/withdraw')
  @OrgAccess(Permission.AssessmentsSign)
  @Redirect()
  async withdraw(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    const detail = await this.signing.withdraw(id);
    setFlash(request, 'success', `The assessment of ${detail.service.name} is withdrawn.`);
    return { url: `/app/${this.context.organization.slug}/assessments/${id}`, statusCode: 303 };
  }

  /** Answers from a CSV file; the page reports each row applied, unchanged or rejected. */
  @Post(':id/import')
  @HttpCode(200)
  @OrgAccess(Permission.AssessmentsEdit)
  @Render('assessments/import-report')
  async import(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const file = await readAnswersFile(request, response);
    const report = await this.answersImport.apply(id, file);
    const unlisted = report.counts.rejected - report.rejected.length;
    return { title: 'Import report', org: this.context.organization, base: `/app/${this.context.organization.slug}/assessments/${id}`, report, unlisted };
  }

  /** The whole declaration on one page, laid out for printing. */
  @Get(':id/report')
  @OrgAccess(Permission.AssessmentsRead)
  @Render('assessments/report')
  async report(@Param('id', ParseUUIDPipe) id: string) {
    const detail = await this.assessments.detail(id);
    const [submission] = await this.assessments.submissions(id);
    return {
      title: `Declaration: ${detail.service.name}`,
      org: this.context.organization,
      detail,
      submission,
      stateWords: words(detail.assessment.state),
      level: detail.code.version.levels[detail.assessment.targetLevel - 1],
      sections: detail.sections.map((section) => ({
        ...section,
        answers: section.answers.map((answer) => ({ ...answer, claimLabel: answer.answer.claim ? CLAIM_LABELS[answer.answer.claim] : 'No claim' })),
      })),
      printedAt: new Date(),
    };
  }

  private may(permission: Permission): boolean {
    return roleAllows(this.context.organization.role as Role | undefined, permission);
  }
}

