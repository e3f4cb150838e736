import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrgAccess } from '../access/access.decorator';
import { csvText } from '../common/csv/csv-writer';
import { Permission } from '../access/permissions';
import { ReportQueryDto } from './dto/report-query.dto';
import { STATISTICS_COLUMNS, statisticsRows, VerificationReports } from './verification-reports';

/** A monitoring body's statistics for a period, for its supervisory authorities. */
@ApiTags('reports')
@Controller('api/v1/orgs/:org')
export class ReportsController {
  constructor(private readonly reports: VerificationReports) {}

  @Get('reports')
  @OrgAccess(Permission.ReportsRead)
  statistics(@Query() query: ReportQueryDto) {
    return this.reports.statistics(query);
  }

  @Get('reports.csv')
  @OrgAccess(Permission.ReportsRead)
  async csv(@Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    const statistics = await this.reports.statistics(query);
    response.attachment(`verification-statistics-${statistics.period.from}-to-${statistics.period.to}.csv`);
    response.type('text/csv; charset=utf-8');
    return csvText(STATISTICS_COLUMNS, statisticsRows(statistics));
  }
}
