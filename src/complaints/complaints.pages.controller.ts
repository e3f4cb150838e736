import { Body, Controller, Get, Header, HttpCode, Param, Post, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../access/access.decorator';
import { FormView } from '../web/form-view.decorator';
import { RegisterDirectory } from '../register/register-directory';
import { categoryLabel } from './complaint-categories';
import { ComplaintFiling } from './complaint-filing';
import { ComplaintFollowing } from './complaint-following';
import { ComplaintFormModel } from './complaint-form.page';
import { STATUS_LABELS } from './complaint-states';
import { ComplaintsErrorCode, ComplaintsException } from './complaints.exception';
import { ComplaintsFilter } from './complaints.filter';
import { FileComplaintDto } from './dto/file-complaint.dto';
import { FollowComplaintDto } from './dto/follow-complaint.dto';

const FOLLOW = '/register/complaints/follow';
const FOLLOW_DESCRIPTION = 'Enter the reference and secret of a complaint about a register entry to see its status and public outcome.';

/** The public's pages: a complaint form on each register entry, its receipt, and following it. */
@ApiExcludeController()
@UseFilters(ComplaintsFilter)
@Controller('register')
export class ComplaintsPagesController {
  constructor(
    private readonly filing: ComplaintFiling,
    private readonly following: ComplaintFollowing,
    private readonly directory: RegisterDirectory,
    private readonly form: ComplaintFormModel,
  ) {}

  @Get(':id/complaints/new')
  @Public()
  @Render('complaints/new')
  async newComplaint(@Param('id') _id: string, @Req() request: Request) {
    return { ...(await this.form.locals(request)), values: {} };
  }

  /** The receipt is this page itself: the secret is shown once and never travels in a URL. */
  @Post(':id/complaints')
  @Public()
  @FormView('complaints/new', ComplaintFormModel)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Render('complaints/filed')
  async file(@Param('id') id: string, @Body() dto: FileComplaintDto, @Req() request: Request) {
    const filed = await this.filing.file(id, dto, request.ip);
    return { title: 'Complaint received', reference: filed.reference, secret: filed.secret, entry: filed.entry, emailGiven: Boolean(dto.email), follow: FOLLOW };
  }

  @Get('complaints/follow')
  @Public()
  @Render('complaints/follow')
  followForm() {
    return { title: 'Follow a complaint', description: FOLLOW_DESCRIPTION, action: FOLLOW, values: {} };
  }

  /** A reference and secret that match no complaint show the form again, with the one message for both. */
  @Post('complaints/follow')
  @Public()
  @FormView('complaints/follow')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Render('complaints/follow')
  async follow(@Body() dto: FollowComplaintDto, @Res({ passthrough: true }) response: Response) {
    const page = { title: 'Follow a complaint', description: FOLLOW_DESCRIPTION, action: FOLLOW, values: { reference: dto.reference } };
    try {
      const followed = await this.following.follow(dto.reference, dto.secret);
      const entry = await this.directory.entry(followed.entryId);
      return {
        ...page,
        complaint: { ...followed, categoryLabel: categoryLabel(followed.category), statusLabel: STATUS_LABELS[followed.status] },
        entry,
      };
    } catch (error) {
      if (!(error instanceof ComplaintsException && error.code === ComplaintsErrorCode.NotFollowed)) throw error;
      response.status(error.status);
      return { ...page, errors: error.details, formError: error.message };
    }
  }
}
