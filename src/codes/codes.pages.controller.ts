import { Controller, Get, Param, Query, Redirect, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/access.decorator';
import { AccreditationsService } from './accreditations.service';
import { changelogForPage, diffForPage, readerSections, requirementCount } from './code-reader.page';
import { CodesService } from './codes.service';
import { DiffQueryDto } from './dto/diff-query.dto';
import { EvidencePolicies } from './evidence-policies';
import { policyDiffForPage, readerPolicy } from './evidence-policy.page';

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
      description: 'The codes of conduct providers declare adherence to in Adhere, each readable in full with its requirements, levels and versions.',
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
    const computed = await this.codes.diff(slug, query.to, query.from);
    const { document: later } = await this.codes.version(slug, computed.to);
    const diff = diffForPage(computed, changelogForPage(slug, later));
    return {
      title: `Changes to ${summary.current.title}`,
      description: `What changed in ${summary.current.title} between two versions, requirement by requirement.`,
      slug,
      codeTitle: summary.current.title,
      versions: summary.versions,
      diff,
      policyDiff: policyDiffForPage(computed.evidencePolicy),
    };
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
      description: `${document.title}, version ${document.version}, in full: ${requirementCount(document)} requirements, the levels of compliance, and the monitoring bodies accredited for it.`,
      slug,
      version: found,
      document,
      sections: readerSections(document),
      changelog: changelogForPage(slug, document),
      changelogDiffable: summary.versions.some((listed) => listed.version === document.changelog?.from),
      requirementCount: requirementCount(document),
      versions: summary.versions,
      previous: previous?.version,
      evidencePolicy: readerPolicy(await this.policies.effective(found.id), found.version),
      monitoringBodies: monitoringBodies.map(({ organization, accreditation }) => ({ name: organization.name, country: organization.country, website: organization.website, validUntil: accreditation.validUntil })),
    };
  }
}
