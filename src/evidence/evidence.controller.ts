import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrgAccess } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { PositiveIntPipe } from '../common/validation/positive-int.pipe';
import { validateInput } from '../common/validation/validation.pipe';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { CreateEvidenceDto } from './dto/create-evidence.dto';
import { EvidenceListQueryDto } from './dto/evidence-list-query.dto';
import { NewRevisionDto } from './dto/new-revision.dto';
import { UpdateEvidenceDto } from './dto/update-evidence.dto';
import { EvidenceContent } from './evidence-content';
import { EvidenceLibrary } from './evidence-library';
import { evidenceDetailJson, evidenceJson, revisionJson } from './evidence.mapper';
import { download } from './revision-download';
import { EvidenceIntake } from './evidence-intake';

const UPLOAD_SCHEMA = {
  schema: {
    type: 'object',
    required: ['file', 'title'],
    properties: {
      file: { type: 'string', format: 'binary' },
      title: { type: 'string' },
      description: { type: 'string' },
      confidentiality: { type: 'string', enum: ['monitoring_body', 'public'] },
      effectiveDate: { type: 'string', format: 'date' },
      expiresAt: { type: 'string', format: 'date' },
      note: { type: 'string' },
    },
  },
};

/**
 * The evidence library. Uploads are streamed, so these routes run their own transaction once the
 * file is staged instead of holding one open for the whole upload.
 */
@ApiTags('evidence')
@Controller('api/v1/orgs/:org/evidence')
export class EvidenceController {
  constructor(
    private readonly library: EvidenceLibrary,
    private readonly revisions: EvidenceContent,
    private readonly intake: EvidenceIntake,
  ) {}

  @Get()
  @OrgAccess(Permission.EvidenceRead)
  async list(@Query() query: EvidenceListQueryDto) {
    return (await this.library.list(query)).map(evidenceJson);
  }

  /** A file as multipart/form-data (`file` plus the fields), or a link or text as JSON. */
  @Post()
  @OrgAccess(Permission.EvidenceManage)
  @WithoutTransaction()
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody(UPLOAD_SCHEMA)
  async create(@Req() request: Request) {
    if (request.is('multipart/form-data')) return evidenceDetailJson(await this.intake.addFile(request));
    const input = await validateInput(CreateEvidenceDto, request.body ?? {});
    return evidenceDetailJson(await this.intake.addRecord(input));
  }

  @Get(':id')
  @OrgAccess(Permission.EvidenceRead)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return evidenceDetailJson(await this.library.get(id));
  }

  @Patch(':id')
  @OrgAccess(Permission.EvidenceManage)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateEvidenceDto) {
    return evidenceDetailJson(await this.library.update(id, dto));
  }

  /** A new revision: a file as multipart/form-data, a link or text as JSON. Earlier revisions stay. */
  @Post(':id/revisions')
  @OrgAccess(Permission.EvidenceManage)
  @WithoutTransaction()
  @ApiConsumes('multipart/form-data', 'application/json')
  async revise(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    if (request.is('multipart/form-data')) return evidenceDetailJson(await this.intake.addFileRevision(id, request));
    const input = await validateInput(NewRevisionDto, request.body ?? {});
    return evidenceDetailJson(await this.intake.addRecordRevision(id, input));
  }

  @Get(':id/revisions/:number')
  @OrgAccess(Permission.EvidenceRead)
  async revision(@Param('id', ParseUUIDPipe) id: string, @Param('number', PositiveIntPipe) number: number) {
    return revisionJson((await this.revisions.revision(id, number)).revision);
  }

  @Get(':id/revisions/:number/content')
  @OrgAccess(Permission.EvidenceRead)
  async content(@Param('id', ParseUUIDPipe) id: string, @Param('number', PositiveIntPipe) number: number, @Res({ passthrough: true }) response: Response) {
    return download(response, await this.revisions.content(id, number), `evidence-${number}.txt`);
  }
}
