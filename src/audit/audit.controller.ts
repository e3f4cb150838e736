import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrgAccess } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { AuditPageQuery } from './audit-page.query';
import { AuditService } from './audit.service';
import { TenantContext } from '../common/tenant-context';

@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Get('api/v1/orgs/:org/audit')
  @OrgAccess(Permission.AuditRead)
  list(@Query() query: AuditPageQuery) {
    return this.audit.list(query.limit, query.before);
  }

  @Get('api/v1/orgs/:org/audit/verify')
  @OrgAccess(Permission.AuditRead)
  verify() {
    return this.audit.verify();
  }

  @Get('app/:org/audit')
  @OrgAccess(Permission.AuditRead)
  @Render('audit/log')
  async page(@Query() query: AuditPageQuery) {
    const page = await this.audit.list(query.limit, query.before);
    const verification = await this.audit.verify();
    return { title: 'Audit log', org: this.context.organization, page, verification };
  }
}
