import { Controller, Get, Header, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../access/access.decorator';
import { PublicComplaints } from '../complaints/public-complaints';
import { openToOtherSites } from '../common/web/open-to-other-sites';
import { AppConfig } from '../config/app-config.service';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { badgeSvg } from './badge';
import { RegisterPageQueryDto } from '../register/dto/register-query.dto';
import { Register } from '../register/register';
import { RegisterDirectory } from '../register/register-directory';
import { RegisterFreshness } from './register-freshness.interceptor';
import { registerListView } from './register-list.page';
import { RenderedPages } from './rendered-pages';
import { RegisterStatistics } from './register-statistics';

const PER_PAGE = 20;

/** The public register's pages: no account needed, and no JavaScript. */
@ApiExcludeController()
@Controller('register')
@Public()
// Each page opens its transaction only if it has to be rendered (see RenderedPages).
@WithoutTransaction()
@UseInterceptors(RegisterFreshness)
export class RegisterPagesController {
  constructor(
    private readonly directory: RegisterDirectory,
    private readonly statistics: RegisterStatistics,
    private readonly config: AppConfig,
    private readonly pages: RenderedPages,
    private readonly complaints: PublicComplaints,
    private readonly register: Register,
  ) {}

  @Get()
  async list(@Query() query: RegisterPageQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.pages.send(request, response, 'register-site/list', async () => {
      const [result, facets] = await Promise.all([this.directory.page(query, query.page ?? 1, PER_PAGE), this.directory.facets()]);
      return {
        title: query.q ? `“${query.q}” in the register` : 'The register',
        description: 'The public register of Adhere: every service whose adherence to a code of conduct an accredited monitoring body verified, with its status, level, history and signed attestation. Search it, or download it as CSV or JSON.',
        ...registerListView(query, result, facets),
      };
    });
  }

  @Get('statistics')
  async figures(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.pages.send(request, response, 'register-site/statistics', async () => ({
      title: 'Register statistics',
      description: 'The Adhere register in figures: verified, suspended, revoked and expired entries, levels, monitoring bodies, decision times and complaints.',
      figures: { ...(await this.statistics.figures()), complaints: await this.complaints.byOutcome() },
    }));
  }

  @Get(':id')
  async entry(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.pages.send(request, response, 'register-site/entry', async () => {
      const entry = await this.directory.entry(id);
      const url = `${this.config.publicUrl}/register/${entry.id}`;
      return {
        title: `${entry.service.name} — ${entry.code.title}`,
        description: `${entry.service.name} by ${entry.provider.name}: ${entry.status} against ${entry.code.title} ${entry.code.version} at level ${entry.level}, verified by ${entry.monitoringBody.name}. Its history, findings, evidence manifest and signed attestation.`,
        entry,
        history: [...entry.history].reverse(),
        complaints: await this.complaints.forEntry(entry.id),
        badge: { url: `${url}/badge.svg`, markdown: `[![Adhere register: ${entry.status}](${url}/badge.svg)](${url})`, html: `<a href="${url}"><img src="${url}/badge.svg" alt="Adhere register: ${entry.status}"></a>` },
      };
    });
  }

  @Get(':id/badge.svg')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  async badge(@Param('id') id: string, @Res({ passthrough: true }) response: Response) {
    // Meant to be embedded: fresh within a minute, revalidated cheaply with the ETag after that.
    response.setHeader('Cache-Control', 'public, max-age=60');
    openToOtherSites(response);
    const entry = await this.register.badgeEntry(id);
    if (entry) return badgeSvg(entry.status, `level ${entry.level}`);
    response.status(404);
    return badgeSvg('unknown', '');
  }
}
