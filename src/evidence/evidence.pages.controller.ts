import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrgAccess } from '../access/access.decorator';
import { Permission, roleAllows } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { validateInput } from '../common/validation/validation.pipe';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import type { Role } from '../access/roles';
import { CreateEvidenceDto } from './dto/create-evidence.dto';
import { EvidenceListQueryDto } from './dto/evidence-list-query.dto';
import { NewRevisionDto } from './dto/new-revision.dto';
import { UpdateEvidenceDto } from './dto/update-evidence.dto';
import { EvidenceFormModel } from './evidence-form.page';
import { EvidenceDetail, EvidenceLibrary } from './evidence-library';
import { EvidenceIntake } from './evidence-intake';

/** The evidence library's pages: search it, add files, links and texts, and revise them. */
@ApiExcludeController()
@Controller('app/:org/evidence')
export class EvidencePagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly library: EvidenceLibrary,
    private readonly intake: EvidenceIntake,
    private readonly form: EvidenceFormModel,
  ) {}

  @Get()
  @OrgAccess(Permission.EvidenceRead)
  @Render('evidence/list')
  async list(@Query() query: EvidenceListQueryDto) {
    return {
      title: 'Evidence',
      org: this.context.organization,
      items: await this.library.list(query),
      query,
      canManage: roleAllows(this.context.organization.role as Role | undefined, Permission.EvidenceManage),
    };
  }

  @Get('new')
  @OrgAccess(Permission.EvidenceManage)
  @Render('evidence/new')
  async newForm(@Req() request: Request) {
    return { ...(await this.form.locals(request)), values: { confidentiality: 'monitoring_body' } };
  }

  /** A file (multipart, streamed to storage) or a link or text (a plain form). */
  @Post()
  @OrgAccess(Permission.EvidenceManage)
  @WithoutTransaction()
  @FormView('evidence/new', EvidenceFormModel)
  @Redirect()
  async create(@Req() request: Request) {
    const detail = request.is('multipart/form-data')
      ? await this.intake.addFile(request)
      : await this.intake.addRecord(await validateInput(CreateEvidenceDto, request.body ?? {}));
    return this.shown(request, detail, `${detail.evidence.title} is in your library.`);
  }

  @Get(':id')
  @OrgAccess(Permission.EvidenceRead)
  @Render('evidence/show')
  async show(@Param('id', ParseUUIDPipe) _id: string, @Req() request: Request) {
    return { ...(await this.form.locals(request)), values: {} };
  }

  @Post(':id')
  @OrgAccess(Permission.EvidenceManage)
  @FormView('evidence/show', EvidenceFormModel)
  @Redirect()
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateEvidenceDto, @Req() request: Request) {
    // The form always shows the description: left empty, it is cleared.
    const detail = await this.library.update(id, { ...dto, description: dto.description ?? null });
    return this.shown(request, detail, `${detail.evidence.title} was saved.`);
  }

  @Post(':id/revisions')
  @OrgAccess(Permission.EvidenceManage)
  @WithoutTransaction()
  @FormView('evidence/show', EvidenceFormModel)
  @Redirect()
  async revise(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    const detail = request.is('multipart/form-data')
      ? await this.intake.addFileRevision(id, request)
      : await this.intake.addRecordRevision(id, await validateInput(NewRevisionDto, request.body ?? {}));
    return this.shown(request, detail, `Revision ${detail.evidence.currentRevision} of ${detail.evidence.title} is now current; earlier revisions stay.`);
  }

  private shown(request: Request, detail: EvidenceDetail, message: string) {
    setFlash(request, 'success', message);
    return { url: `/app/${this.context.organization.slug}/evidence/${detail.evidence.id}`, statusCode: 303 };
  }
}
