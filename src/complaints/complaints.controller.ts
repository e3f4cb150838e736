import { Body, Controller, Header, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../access/access.decorator';
import { AppConfig } from '../config/app-config.service';
import { ComplaintFiling } from './complaint-filing';
import { ComplaintFollowing } from './complaint-following';
import { ComplaintsFilter } from './complaints.filter';
import { filedJson, followedJson } from './complaints.mapper';
import { FileComplaintDto } from './dto/file-complaint.dto';
import { FollowComplaintDto } from './dto/follow-complaint.dto';

/** The public's side of complaints: filing one about a register entry, and following it. */
@ApiTags('complaints')
@UseFilters(ComplaintsFilter)
@Controller('api/v1/register')
export class ComplaintsController {
  constructor(
    private readonly filing: ComplaintFiling,
    private readonly following: ComplaintFollowing,
    private readonly config: AppConfig,
  ) {}

  /** Anyone, without an account; COMPLAINTS_PER_HOUR per client. The secret is in this answer only. */
  @Post(':id/complaints')
  @Public()
  @Header('Cache-Control', 'no-store')
  async file(@Param('id') id: string, @Body() dto: FileComplaintDto, @Req() request: Request) {
    return filedJson(await this.filing.file(id, dto, request.ip), `${this.config.publicUrl}/register/complaints/follow`);
  }

  /** The reference and the secret go in the body, never in a URL. */
  @Post('complaints/follow')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async follow(@Body() dto: FollowComplaintDto) {
    return followedJson(await this.following.follow(dto.reference, dto.secret));
  }
}
