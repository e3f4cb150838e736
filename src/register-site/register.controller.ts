import { Controller, Get, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../access/access.decorator';
import { PublicComplaints } from '../complaints/public-complaints';
import { AppConfig } from '../config/app-config.service';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { RegisterEventsQueryDto } from './dto/register-events-query.dto';
import { RegisterListQueryDto } from '../register/dto/register-query.dto';
import { RegisterCsv } from './register-csv';
import { RegisterDirectory } from '../register/register-directory';
import { applyFreshness, RegisterFreshness } from './register-freshness.interceptor';
import { RegisterStatistics } from './register-statistics';

/** The register, machine-readable: for anyone, without an account. */
@ApiTags('register')
@Controller('api/v1')
@Public()
export class RegisterController {
  constructor(
    private readonly directory: RegisterDirectory,
    private readonly statistics: RegisterStatistics,
    private readonly csv: RegisterCsv,
    private readonly config: AppConfig,
    private readonly complaints: PublicComplaints,
  ) {}

  /** Entries matching the filters, a slice at a time; pass `nextCursor` back as `cursor` for the next. */
  @Get('register')
  @UseInterceptors(RegisterFreshness)
  list(@Query() query: RegisterListQueryDto) {
    return this.directory.slice(query, query.cursor, query.limit ?? 50);
  }

  /** The whole register as CSV, streamed. */
  @Get('register.csv')
  @WithoutTransaction()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'One row per entry, in id order', content: { 'text/csv': {} } })
  async download(@Req() request: Request, @Res() response: Response): Promise<void> {
    const revision = await this.directory.revision();
    applyFreshness(request, response, revision);
    if (request.fresh) {
      response.status(304).end();
      return;
    }
    response.attachment('adhere-register.csv');
    response.type('text/csv; charset=utf-8');
    await this.csv.write(response, this.config.publicUrl);
  }

  /** Every change of status in the register, oldest first, after the event id given. */
  @Get('register/events')
  @UseInterceptors(RegisterFreshness)
  async events(@Query() query: RegisterEventsQueryDto) {
    const limit = query.limit ?? 100;
    const events = await this.directory.events(query.after, limit);
    return { events, next: events.length === limit ? events[events.length - 1].id : null, latest: events.at(-1)?.id ?? query.after ?? null };
  }

  @Get('register/statistics')
  @UseInterceptors(RegisterFreshness)
  async figures() {
    return { ...(await this.statistics.figures()), complaints: await this.complaints.byOutcome() };
  }

  /** One entry in full, with its history and its complaints' counts and public outcomes. */
  @Get('register/:id')
  @UseInterceptors(RegisterFreshness)
  async entry(@Param('id') id: string) {
    return { ...(await this.directory.entry(id)), complaints: await this.complaints.forEntry(id) };
  }
}
