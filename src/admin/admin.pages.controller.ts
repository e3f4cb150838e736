import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Operator } from '../access/access.decorator';
import { AuditPageQuery } from '../audit/audit-page.query';
import { AuditService } from '../audit/audit.service';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { AdminDirectory } from './admin-directory';
import { AdminOrganizationPage, AdminUserPage, pagingLinks } from './admin-pages.page';
import { AdminSearchQuery } from './dto/admin-search.query';
import { SuspendDto } from './dto/suspend.dto';
import { OrganizationSuspension } from './organization-suspension';
import { PersonSuspension } from './person-suspension';
import { SignInHelp } from './sign-in-help';

/** The operator's pages under /app/admin; every form posts here and comes back to the page it acted on. */
@ApiExcludeController()
@Controller('app/admin')
export class AdminPagesController {
  constructor(
    private readonly directory: AdminDirectory,
    private readonly userPage: AdminUserPage,
    private readonly organizationPage: AdminOrganizationPage,
    private readonly people: PersonSuspension,
    private readonly organizations: OrganizationSuspension,
    private readonly help: SignInHelp,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Operator()
  @Render('admin/index')
  index() {
    return { title: 'Administration' };
  }

  @Get('users')
  @Operator()
  @Render('admin/users')
  async users(@Query() query: AdminSearchQuery) {
    const page = await this.directory.users(query.q, query.limit, query.offset);
    return { title: 'People (operator)', q: query.q ?? '', page, paging: pagingLinks('/app/admin/users', query.q, page) };
  }

  @Get('users/:id')
  @Operator()
  @Render('admin/user')
  user(@Param('id', ParseUUIDPipe) _id: string, @Req() request: Request) {
    return this.userPage.locals(request);
  }

  @Post('users/:id/suspend')
  @Operator()
  @FormView('admin/user', AdminUserPage)
  @Redirect()
  async suspendUser(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SuspendDto, @Req() request: Request) {
    await this.people.suspend(id, dto.reason);
    return this.back(request, `/app/admin/users/${id}`, 'The account is suspended: its sessions ended, and its API tokens stop until it is reactivated.');
  }

  @Post('users/:id/reactivate')
  @Operator()
  @Redirect()
  async reactivateUser(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    await this.people.reactivate(id);
    return this.back(request, `/app/admin/users/${id}`, 'The account is active again.');
  }

  @Post('users/:id/unlock')
  @Operator()
  @Redirect()
  async unlock(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    await this.help.unlock(id);
    return this.back(request, `/app/admin/users/${id}`, 'The pauses on this account’s sign-in are lifted.');
  }

  @Post('users/:id/password-reset')
  @Operator()
  @Redirect()
  async sendPasswordReset(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    await this.help.sendPasswordReset(id);
    return this.back(request, `/app/admin/users/${id}`, 'A password reset link is on its way to the account’s own address.');
  }

  @Get('organizations')
  @Operator()
  @Render('admin/organizations')
  async organizationList(@Query() query: AdminSearchQuery) {
    const page = await this.directory.organizations(query.q, query.limit, query.offset);
    return { title: 'Organizations (operator)', q: query.q ?? '', page, paging: pagingLinks('/app/admin/organizations', query.q, page) };
  }

  @Get('organizations/:id')
  @Operator()
  @Render('admin/organization')
  organization(@Param('id', ParseUUIDPipe) _id: string, @Req() request: Request) {
    return this.organizationPage.locals(request);
  }

  @Post('organizations/:id/suspend')
  @Operator()
  @FormView('admin/organization', AdminOrganizationPage)
  @Redirect()
  async suspendOrganization(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SuspendDto, @Req() request: Request) {
    await this.organizations.suspend(id, dto.reason);
    return this.back(request, `/app/admin/organizations/${id}`, 'The organization is suspended: its members and API tokens are refused on its routes. Its register entries are unchanged.');
  }

  @Post('organizations/:id/reactivate')
  @Operator()
  @Redirect()
  async reactivateOrganization(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    await this.organizations.reactivate(id);
    return this.back(request, `/app/admin/organizations/${id}`, 'The organization is active again.');
  }

  @Get('audit')
  @Operator()
  @Render('admin/audit')
  async auditLog(@Query() query: AuditPageQuery) {
    const page = await this.audit.listPlatform(query.limit, query.before);
    const verification = await this.audit.verifyPlatform();
    return { title: 'Platform audit log', page, verification };
  }

  private back(request: Request, url: string, message: string) {
    setFlash(request, 'success', message);
    return { url, statusCode: 303 };
  }
}
