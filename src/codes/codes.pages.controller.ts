import { Controller, Get, Param, Query, Redirect, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/access.decorator';
import { AccreditationsService } from './accreditations.service';
import { diffForPage, readerSections, requirementCount } from './code-pages.views';
import { CodesService } from './codes.service';
import { DiffQueryDto } from './dto/diff-query.dto';
import { EvidencePolicies } from './evidence-policies';
import { policyDiffForPage, readerPolicy } from './evidence-policy.views';

/** The public pages: every published code, readable in full, and what changed between versions. */
@ApiExcludeController()
@Controller('codes')
export class CodesPagesController {
  constructor(
    private readonly codes: CodesService,
    private readonly accreditations: AccreditationsService,
    private readonly policies: EvidencePolicies,
  ) {}

  @Get()
  @Public()
  @Render('codes/list')
  async list() {
    const summaries = await this.codes.list();
    return {
      title: 'Codes of conduct',
      codes: summaries.map((summary) => ({ slug: summary.code.slug, current: summary.current, versions: summary.versions })),
    };
  }

  @Get(':code')
  @Public()
  @Redirect()
  async current(@Param('code') slug: string) {
    const summary = await this.codes.code(slug);
    return { url: `/codes/${slug}/${summary.current.version}`, statusCode: 302 };
  }

  @Get(':code/diff')
  @Public()
  @Render('codes/diff')
  async diff(@Param('code') slug: string, @Query() query: DiffQueryDto) {
    const summary = await this.codes.code(slug);
    const found = await this.codes.diff(slug, query.to, query.from);
    const diff = diffForPage(found);
    return { title: `Changes to ${summary.current.title}`, slug, codeTitle: summary.current.title, versions: summary.versions, diff, policyDiff: policyDiffForPage(found.evidencePolicy) };
  }

  @Get(':code/:version')
  @Public()
  @Render('codes/reader')
  async read(@Param('code') slug: string, @Param('version') version: string) {
    const { version: found, document } = await this.codes.version(slug, version);
    const summary = await this.codes.code(slug);
    const monitoringBodies = await this.accreditations.current(slug);
    const previous = await this.codes.previousVersion(found);
    return {
      title: `${document.title} ${document.version}`,
      slug,
      version: found,
      document,
      sections: readerSections(document),
      requirementCount: requirementCount(document),
      versions: summary.versions,
      previous: previous?.version,
      evidencePolicy: readerPolicy(await this.policies.effective(found.id), found.version),
      monitoringBodies: monitoringBodies.map(({ organization, accreditation }) => ({ name: organization.name, country: organization.country, website: organization.website, validUntil: accreditation.validUntil })),
    };
  }
}
