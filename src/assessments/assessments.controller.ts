import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrgAccess, VERIFIED_EMAIL } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { AnswerSaving } from './answer-saving';
import { AnswersImport } from './answers-import';
import { AssessmentSigning } from './assessment-signing';
import { AssessmentStart } from './assessment-start';
import { assessmentCsv, assessmentJson, answerJson } from './assessment-transfer';
import { AssessmentsService } from './assessments.service';
import { AssessmentListQueryDto } from './dto/assessment-list-query.dto';
import { SaveAnswerDto } from './dto/save-answer.dto';
import { SaveSectionDto } from './dto/save-section.dto';
import { StartAssessmentDto } from './dto/start-assessment.dto';
import { SubmitAssessmentDto } from './dto/submit-assessment.dto';
import { standingJson, summaryJson } from './assessments.mapper';

@ApiTags('assessments')
@Controller('api/v1/orgs/:org/assessments')
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly starting: AssessmentStart,
    private readonly signing: AssessmentSigning,
    private readonly answers: AnswerSaving,
    private readonly answersImport: AnswersImport,
  ) {}

  @Get()
  @OrgAccess(Permission.AssessmentsRead)
  async list(@Query() query: AssessmentListQueryDto) {
    return (await this.assessments.list(query)).map(summaryJson);
  }

  /** Starts a declaration with one answer per requirement that applies to the service. */
  @Post()
  @OrgAccess(Permission.AssessmentsEdit)
  async start(@Body() dto: StartAssessmentDto) {
    return assessmentJson(await this.starting.start(dto));
  }

  @Get(':id')
  @OrgAccess(Permission.AssessmentsRead)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return assessmentJson(await this.assessments.detail(id));
  }

  /** Replaces one answer, if it is still at `version`; otherwise 409 says who changed it and when. */
  @Put(':id/answers/:requirementKey')
  @OrgAccess(Permission.AssessmentsEdit)
  async saveAnswer(@Param('id', ParseUUIDPipe) id: string, @Param('requirementKey') requirementKey: string, @Body() dto: SaveAnswerDto) {
    const { answer, progress } = await this.answers.saveOne(id, requirementKey, dto);
    return { ...answerJson(answer), progress };
  }

  /** Saves several answers at once, all or none; unchanged ones are skipped, so they cannot conflict. */
  @Put(':id/answers')
  @OrgAccess(Permission.AssessmentsEdit)
  async saveAnswers(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SaveSectionDto) {
    const { saved, detail } = await this.answers.saveMany(id, dto.answers);
    return { saved: saved.map((answer) => answer.requirementKey), answers: detail.answers.map(answerJson), progress: detail.progress };
  }

  @Post(':id/submit')
  @HttpCode(200)
  @OrgAccess(Permission.AssessmentsSign, VERIFIED_EMAIL)
  async submit(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SubmitAssessmentDto) {
    return assessmentJson(await this.signing.submit(id, dto));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @OrgAccess(Permission.AssessmentsSign)
  async withdraw(@Param('id', ParseUUIDPipe) id: string) {
    return assessmentJson(await this.signing.withdraw(id));
  }

  /** What the monitoring body has released: findings per requirement, the final decision and the register entry. */
  @Get(':id/review')
  @OrgAccess(Permission.AssessmentsRead)
  async review(@Param('id', ParseUUIDPipe) id: string) {
    return standingJson(await this.assessments.standing(id));
  }

  /** Each signed submission, newest round first, with the frozen answers and evidence hashes. */
  @Get(':id/submissions')
  @OrgAccess(Permission.AssessmentsRead)
  async submissions(@Param('id', ParseUUIDPipe) id: string) {
    return (await this.assessments.submissions(id)).map(({ round, signatoryName, signatoryTitle, submittedAt, snapshot }) => ({
      round,
      signatory: { name: signatoryName, title: signatoryTitle },
      submittedAt: submittedAt.toISOString(),
      snapshot,
    }));
  }

  @Get(':id/export.json')
  @OrgAccess(Permission.AssessmentsRead)
  async exportJson(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) response: Response) {
    response.attachment(`assessment-${id}.json`);
    return assessmentJson(await this.assessments.detail(id));
  }

  @Get(':id/export.csv')
  @OrgAccess(Permission.AssessmentsRead)
  async exportCsv(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) response: Response) {
    response.attachment(`assessment-${id}.csv`);
    response.type('text/csv; charset=utf-8');
    return assessmentCsv(await this.assessments.detail(id));
  }

  /** Answers from a CSV file with the export's columns, row by row: a report of what was applied and what was rejected (the first 1,000, and counts). */
  @Post(':id/import')
  @HttpCode(200)
  @OrgAccess(Permission.AssessmentsEdit)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'requirement_key,claim,statement,justification,evidence_ids,version\nLIC-01,met,We license…,,,1' } })
  async import(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    if (typeof request.body !== 'string') throw new InvalidInputException({ body: ['send the CSV file as the request body with Content-Type: text/csv'] });
    return this.answersImport.apply(id, request.body);
  }
}
