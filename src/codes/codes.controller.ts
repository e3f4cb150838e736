import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Operator, Public } from '../access/access.decorator';
import { AccreditationsService } from './accreditations.service';
import { CodeImport } from './code-import';
import { CodeVersionLifecycle } from './code-version-lifecycle';
import { CodesService } from './codes.service';
import { accreditationJson, codeSummaryJson, codeVersionJson, importedJson, monitoringBodyJson } from './codes.mapper';
import { AccreditDto } from './dto/accredit.dto';
import { DiffQueryDto } from './dto/diff-query.dto';
import { EndAccreditationDto } from './dto/end-accreditation.dto';

/** The YAML media types the import reads (application/yaml is the registered one). */
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const YAML_BODY = { schema: { type: 'string', example: 'code: my-code\ntitle: …\nversion: 1.0.0\n…' } };

@ApiTags('codes')
@Controller('api/v1/codes')
export class CodesController {
  constructor(
    private readonly codes: CodesService,
    private readonly codeImport: CodeImport,
    private readonly life: CodeVersionLifecycle,
    private readonly accreditations: AccreditationsService,
  ) {}

  /** Every code with its versions, newest first (drafts for the operator only). */
  @Get()
  @Public()
  async list() {
    return (await this.codes.list()).map(codeSummaryJson);
  }

  /** Imports a code version from its YAML file as a draft; the same content twice changes nothing (200). */
  @Post()
  @Operator()
  @ApiConsumes(...YAML_TYPES)
  @ApiBody(YAML_BODY)
  async import(@Body() source: unknown, @Res({ passthrough: true }) response: Response) {
    const { version, document, created } = await this.codeImport.import(yamlText(source));
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return importedJson(version, document);
  }

  /** Checks a code version's YAML exactly as an import would, without saving anything. */
  @Post('validate')
  @Operator()
  @HttpCode(200)
  @ApiConsumes(...YAML_TYPES)
  @ApiBody(YAML_BODY)
  async validate(@Body() source: unknown) {
    const { document, contentHash } = await this.codeImport.validate(yamlText(source));
    return { valid: true, slug: document.slug, version: document.version, contentHash, sections: document.sections.length, requirements: document.sections.flatMap((s) => s.requirements).length };
  }

  @Get(':code')
  @Public()
  async code(@Param('code') slug: string) {
    return codeSummaryJson(await this.codes.code(slug));
  }

  /** A version in full: levels, profile questions, sections and requirements. */
  @Get(':code/versions/:version')
  @Public()
  async version(@Param('code') slug: string, @Param('version') version: string) {
    const found = await this.codes.version(slug, version);
    return codeVersionJson(found.version, found.document);
  }

  /** The YAML file of a version, exactly as it was imported. */
  @Get(':code/versions/:version/source')
  @Public()
  async source(@Param('code') slug: string, @Param('version') version: string, @Res({ passthrough: true }) response: Response) {
    const source = await this.codes.source(slug, version);
    // attachment() sets a type from the file name; the registered media type comes after it.
    response.attachment(`${slug}-${version}.yaml`).type('application/yaml; charset=utf-8');
    return source;
  }

  @Post(':code/versions/:version/publish')
  @Operator()
  @HttpCode(200)
  async publish(@Param('code') slug: string, @Param('version') version: string) {
    const published = await this.life.publish(slug, version);
    return codeVersionJson(published.version, published.document);
  }

  @Post(':code/versions/:version/retire')
  @Operator()
  @HttpCode(200)
  async retire(@Param('code') slug: string, @Param('version') version: string) {
    const retired = await this.life.retire(slug, version);
    return codeVersionJson(retired.version, retired.document);
  }

  /** Requirements added, removed and changed between two versions, matched by key. */
  @Get(':code/diff')
  @Public()
  async diff(@Param('code') slug: string, @Query() query: DiffQueryDto) {
    return this.codes.diff(slug, query.to, query.from);
  }

  /** The monitoring bodies accredited for the code today. */
  @Get(':code/monitoring-bodies')
  @Public()
  async monitoringBodies(@Param('code') slug: string) {
    return (await this.accreditations.current(slug)).map(monitoringBodyJson);
  }

  /** Every accreditation of the code, including ended and expired ones. */
  @Get(':code/accreditations')
  @Operator()
  async listAccreditations(@Param('code') slug: string) {
    return (await this.accreditations.list(slug)).map(accreditationJson);
  }

  @Post(':code/accreditations')
  @Operator()
  async accredit(@Param('code') slug: string, @Body() dto: AccreditDto) {
    return accreditationJson(await this.accreditations.accredit(slug, dto));
  }

  @Post(':code/accreditations/:id/end')
  @Operator()
  @HttpCode(200)
  async endAccreditation(@Param('code') slug: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EndAccreditationDto) {
    return accreditationJson(await this.accreditations.end(slug, id, dto.reason));
  }
}

function yamlText(body: unknown): string {
  if (typeof body !== 'string') throw new UnsupportedMediaTypeException('Send the code version as YAML with Content-Type: application/yaml.');
  return body;
}
