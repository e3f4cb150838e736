import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { OrgAccess } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { AccreditationsService } from './accreditations.service';
import { accreditationJson } from './codes.mapper';

/** A monitoring body's own accreditations: for which codes, and until when, it may verify adherence. */
@ApiTags('codes')
@Controller()
export class OrganizationAccreditationsController {
  constructor(
    private readonly context: TenantContext,
    private readonly accreditations: AccreditationsService,
  ) {}

  @Get('api/v1/orgs/:org/accreditations')
  @OrgAccess(Permission.OrganizationRead)
  async list() {
    return (await this.accreditations.ofCurrentOrganization()).map((view) => ({ code: view.code, ...accreditationJson(view) }));
  }

  @Get('app/:org/accreditations')
  @OrgAccess(Permission.OrganizationRead)
  @ApiExcludeEndpoint()
  @Render('codes/organization-accreditations')
  async page() {
    return { title: 'Accreditations', org: this.context.organization, accreditations: await this.accreditations.ofCurrentOrganization() };
  }
}
