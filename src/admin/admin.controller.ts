import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Operator } from '../access/access.decorator';
import { AuditService } from '../audit/audit.service';
import { AuditPageQuery } from '../audit/audit-page.query';
import { AdminDirectory } from './admin-directory';
import { AdminProfiles } from './admin-profiles';
import { AdminSearchQuery } from './dto/admin-search.query';
import { SuspendDto } from './dto/suspend.dto';
import { OrganizationSuspension } from './organization-suspension';
import { PersonSuspension } from './person-suspension';
import { SignInHelp } from './sign-in-help';

/** The operator's API: find people and organizations, help or stop them, read the platform's audit chain. */
@ApiTags('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    private readonly directory: AdminDirectory,
    private readonly profiles: AdminProfiles,
    private readonly people: PersonSuspension,
    private readonly organizations: OrganizationSuspension,
    private readonly help: SignInHelp,
    private readonly audit: AuditService,
  ) {}

  @Get('users')
  @Operator()
  users(@Query() query: AdminSearchQuery) {
    return this.directory.users(query.q, query.limit, query.offset);
  }

  @Get('users/:id')
  @Operator()
  user(@Param('id', ParseUUIDPipe) id: string) {
    return this.profiles.user(id);
  }

  @Post('users/:id/suspend')
  @HttpCode(204)
  @Operator()
  async suspendUser(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SuspendDto) {
    await this.people.suspend(id, dto.reason);
  }

  @Post('users/:id/reactivate')
  @HttpCode(204)
  @Operator()
  async reactivateUser(@Param('id', ParseUUIDPipe) id: string) {
    await this.people.reactivate(id);
  }

  @Post('users/:id/unlock')
  @HttpCode(204)
  @Operator()
  async unlock(@Param('id', ParseUUIDPipe) id: string) {
    await this.help.unlock(id);
  }

  @Post('users/:id/password-reset')
  @HttpCode(202)
  @Operator()
  async sendPasswordReset(@Param('id', ParseUUIDPipe) id: string) {
    await this.help.sendPasswordReset(id);
  }

  @Get('organizations')
  @Operator()
  organizationList(@Query() query: AdminSearchQuery) {
    return this.directory.organizations(query.q, query.limit, query.offset);
  }

  @Get('organizations/:id')
  @Operator()
  organization(@Param('id', ParseUUIDPipe) id: string) {
    return this.profiles.organization(id);
  }

  @Post('organizations/:id/suspend')
  @HttpCode(204)
  @Operator()
  async suspendOrganization(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SuspendDto) {
    await this.organizations.suspend(id, dto.reason);
  }

  @Post('organizations/:id/reactivate')
  @HttpCode(204)
  @Operator()
  async reactivateOrganization(@Param('id', ParseUUIDPipe) id: string) {
    await this.organizations.reactivate(id);
  }

  @Get('audit')
  @Operator()
  auditEvents(@Query() query: AuditPageQuery) {
    return this.audit.listPlatform(query.limit, query.before);
  }

  @Get('audit/verify')
  @Operator()
  verifyAudit() {
    return this.audit.verifyPlatform();
  }
}
