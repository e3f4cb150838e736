import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrgAccess, StepUp } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { categoryLabel } from './complaint-categories';
import { ComplaintHandling } from './complaint-handling';
import { isRuling, STATUS_LABELS } from './complaint-states';
import { ComplaintListPageModel, ComplaintPageModel } from './complaint.page';
import { ComplaintListQueryDto } from './dto/complaint-list-query.dto';
import { ComplaintStatusDto } from './dto/complaint-status.dto';

/** A monitoring body's pages for the complaints about the entries it verifies. */
@ApiExcludeController()
@Controller('app/:org/complaints')
export class ComplaintHandlingPagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly handling: ComplaintHandling,
    private readonly listPage: ComplaintListPageModel,
    private readonly page: ComplaintPageModel,
  ) {}

  @Get()
  @OrgAccess(Permission.ComplaintsRead)
  @FormView('complaints/list', ComplaintListPageModel)
  @Render('complaints/list')
  async list(@Query() query: ComplaintListQueryDto, @Req() request: Request) {
    const listed = await this.handling.list(query.status);
    return {
      ...(await this.listPage.locals(request)),
      listed: true,
      items: listed.map(({ complaint, entry }) => ({
        id: complaint.id,
        reference: complaint.reference,
        entry,
        categoryLabel: categoryLabel(complaint.category),
        status: complaint.status,
        statusLabel: STATUS_LABELS[complaint.status],
        receivedAt: complaint.receivedAt,
        closedAt: complaint.closedAt,
      })),
    };
  }

  @Get(':id')
  @OrgAccess(Permission.ComplaintsRead)
  @Render('complaints/show')
  async show(@Param('id', ParseUUIDPipe) _id: string, @Req() request: Request) {
    return this.page.locals(request);
  }

  @Post(':id/status')
  @StepUp(isRuling)
  @OrgAccess(Permission.ComplaintsHandle)
  @FormView('complaints/show', ComplaintPageModel)
  @Redirect()
  async changeStatus(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ComplaintStatusDto, @Req() request: Request) {
    const { complaint, entry } = await this.handling.changeStatus(id, dto);
    const effect = dto.action ? ` Verification ${entry.verificationId} is ${dto.action === 'suspend' ? 'suspended' : 'revoked'}, with the reason in the register.` : '';
    const told = complaint.email ? ' The complainant is told by e-mail.' : '';
    setFlash(request, 'success', `Complaint ${complaint.reference} is ${STATUS_LABELS[complaint.status].toLowerCase()}.${effect}${told}`);
    return { url: `/app/${this.context.organization.slug}/complaints/${id}`, statusCode: 303 };
  }
}
