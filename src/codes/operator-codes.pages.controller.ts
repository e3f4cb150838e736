import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Operator } from '../access/access.decorator';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { AccreditationsService } from './accreditations.service';
import { AccreditationFormModel } from './accreditation-form.page';
import { requirementCount } from './code-reader.page';
import { CodeImport } from './code-import';
import { CodeVersionLifecycle } from './code-version-lifecycle';
import { CodesService } from './codes.service';
import { AccreditDto } from './dto/accredit.dto';
import { EndAccreditationDto } from './dto/end-accreditation.dto';
import { ImportCodeFormDto } from './dto/import-code-form.dto';

/** The operator's pages: import and check code versions, publish or retire them, accredit monitoring bodies. */
@ApiExcludeController()
@Controller('operator/codes')
export class OperatorCodesPagesController {
  constructor(
    private readonly codes: CodesService,
    private readonly codeImport: CodeImport,
    private readonly life: CodeVersionLifecycle,
    private readonly accreditations: AccreditationsService,
    private readonly accreditationForm: AccreditationFormModel,
  ) {}

  @Get()
  @Operator()
  @Render('codes/operator-codes')
  async list() {
    const summaries = await this.codes.list();
    return { title: 'Codes', codes: summaries.map((summary) => ({ slug: summary.code.slug, title: summary.current.title, versions: summary.versions })) };
  }

  @Get('import')
  @Operator()
  @Render('codes/operator-import')
  importForm() {
    return { title: 'Import a code version', values: {} };
  }

  /** Checks the file exactly as an import would, and shows what it holds; nothing is saved. */
  @Post('check')
  @Operator()
  @FormView('codes/operator-import')
  @HttpCode(200)
  @Render('codes/operator-import')
  async check(@Body() form: ImportCodeFormDto, @Req() request: Request) {
    const source = uploadedSource(form, request);
    const { document, contentHash } = await this.codeImport.validate(source);
    return { title: 'Import a code version', values: { source }, checked: { document, contentHash, requirements: requirementCount(document) } };
  }

  /** Imports the file as a draft and opens it. */
  @Post('import')
  @Operator()
  @FormView('codes/operator-import')
  @Redirect()
  async import(@Body() form: ImportCodeFormDto, @Req() request: Request) {
    const { version, document, created } = await this.codeImport.import(uploadedSource(form, request));
    setFlash(request, 'success', created ? `Imported ${document.title} ${version.version} as a draft.` : `${document.title} ${version.version} is already here with exactly this content.`);
    return { url: `/codes/${document.slug}/${version.version}`, statusCode: 303 };
  }

  @Post(':code/versions/:version/publish')
  @Operator()
  @Redirect()
  async publish(@Param('code') slug: string, @Param('version') version: string, @Req() request: Request) {
    await this.life.publish(slug, version);
    setFlash(request, 'success', `Version ${version} is published: it can no longer change.`);
    return { url: `/codes/${slug}/${version}`, statusCode: 303 };
  }

  @Post(':code/versions/:version/retire')
  @Operator()
  @Redirect()
  async retire(@Param('code') slug: string, @Param('version') version: string, @Req() request: Request) {
    await this.life.retire(slug, version);
    setFlash(request, 'success', `Version ${version} is retired.`);
    return { url: `/codes/${slug}/${version}`, statusCode: 303 };
  }

  @Get(':code/accreditations')
  @Operator()
  @Render('codes/operator-accreditations')
  async accreditationsPage(@Req() request: Request) {
    return { ...(await this.accreditationForm.locals(request)), values: {} };
  }

  @Post(':code/accreditations')
  @Operator()
  @FormView('codes/operator-accreditations', AccreditationFormModel)
  @Redirect()
  async accredit(@Param('code') slug: string, @Body() dto: AccreditDto, @Req() request: Request) {
    const { organization } = await this.accreditations.accredit(slug, dto);
    setFlash(request, 'success', `${organization.name} is accredited for this code from ${dto.validFrom} to ${dto.validUntil}.`);
    return { url: `/operator/codes/${slug}/accreditations`, statusCode: 303 };
  }

  @Post(':code/accreditations/:id/end')
  @Operator()
  @FormView('codes/operator-accreditations', AccreditationFormModel)
  @Redirect()
  async end(@Param('code') slug: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EndAccreditationDto, @Req() request: Request) {
    const { organization } = await this.accreditations.end(slug, id, dto.reason);
    setFlash(request, 'success', `The accreditation of ${organization.name} has ended.`);
    return { url: `/operator/codes/${slug}/accreditations`, statusCode: 303 };
  }
}

function uploadedSource(form: ImportCodeFormDto, request: Request): string {
  const source = request.file ? request.file.buffer.toString('utf8') : form.source;
  if (!source?.trim()) throw new InvalidInputException({ file: ['choose a YAML file, or paste the YAML below'] });
  return source;
}
