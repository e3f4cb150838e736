import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrgAccess, StepUp } from '../access/access.decorator';
import { isRuling } from './complaint-states';
import { Permission } from '../access/permissions';
import { ComplaintHandling } from './complaint-handling';
import { detailJson, listedJson } from './complaints.mapper';
import { ComplaintListQueryDto } from './dto/complaint-list-query.dto';
import { ComplaintStatusDto } from './dto/complaint-status.dto';

/** A monitoring body's complaints about the entries it verifies. */
@ApiTags('complaints')
@Controller('api/v1/orgs/:org/complaints')
export class ComplaintHandlingController {
  constructor(private readonly handling: ComplaintHandling) {}

  @Get()
  @OrgAccess(Permission.ComplaintsRead)
  async list(@Query() query: ComplaintListQueryDto) {
    return (await this.handling.list(query.status)).map(listedJson);
  }

  @Get(':id')
  @OrgAccess(Permission.ComplaintsRead)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return detailJson(await this.handling.detail(id));
  }

  /** received → investigating → upheld or dismissed (or decided at once); upholding may suspend or revoke the entry. */
  @Post(':id/status')
  @StepUp(isRuling)
  @HttpCode(200)
  @OrgAccess(Permission.ComplaintsHandle)
  async changeStatus(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ComplaintStatusDto) {
    return detailJson(await this.handling.changeStatus(id, dto));
  }
}
