import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Operator } from '../access/access.decorator';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { HashListFormDto } from './dto/hash-list-form.dto';
import { ResolveIncidentDto } from './dto/resolve-incident.dto';
import { listText } from './hash-list-upload.middleware';
import { HashLists } from './hash-lists';
import { ScreeningPageModel } from './screening.page';
import { UploadIncidents } from './upload-incidents';

/** The operator's screening page: hash lists and the incidents of uploads that matched one. */
@ApiExcludeController()
@Controller('operator/screening')
export class OperatorScreeningPagesController {
  constructor(
    private readonly lists: HashLists,
    private readonly incidents: UploadIncidents,
    private readonly page: ScreeningPageModel,
  ) {}

  @Get()
  @Operator()
  @Render('screening/overview')
  async show() {
    return { ...(await this.page.locals()), values: {} };
  }

  @Post('hash-lists')
  @Operator()
  @FormView('screening/overview', ScreeningPageModel)
  @Redirect()
  async load(@Body() form: HashListFormDto, @Req() request: Request) {
    const text = listText(request, form.text);
    if (!text?.trim()) throw new InvalidInputException({ file: ['choose the list file, or paste its lines'] });
    const list = await this.lists.load(form.name, text);
    setFlash(request, 'success', `The hash list ${list.name} holds ${list.entries.toLocaleString('en-US')} digests; every upload is checked against it from now on.`);
    return { url: '/operator/screening', statusCode: 303 };
  }

  @Post('hash-lists/:id/delete')
  @Operator()
  @Redirect()
  async remove(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    await this.lists.remove(id);
    setFlash(request, 'success', 'The hash list was removed.');
    return { url: '/operator/screening', statusCode: 303 };
  }

  @Post('incidents/:id/resolve')
  @Operator()
  @FormView('screening/overview', ScreeningPageModel)
  @Redirect()
  async resolve(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveIncidentDto, @Req() request: Request) {
    const incident = await this.incidents.resolve(id, dto.note, dto.version);
    setFlash(request, 'success', `The incident of ${incident.organizationName} is resolved; its uploads go on unless another incident is open.`);
    return { url: '/operator/screening', statusCode: 303 };
  }
}
