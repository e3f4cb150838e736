import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Operator, OrgAccess, Public } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { SsoSettingsDto } from './dto/sso-settings.dto';
import { SsoDomains } from './sso-domains';
import { SsoSettingsService } from './sso-settings';
import { SsoSettingsPageModel } from './sso-settings.page';

@ApiExcludeController()
@Controller()
export class SsoPagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly settings: SsoSettingsService,
    private readonly domains: SsoDomains,
    private readonly page: SsoSettingsPageModel,
  ) {}

  @Get('signin/sso')
  @Public()
  @Render('sso/signin')
  signInForm(@Query('email') email?: string) {
    return {
      title: 'Sign in with your organization',
      description: 'Sign in to Adhere through your organization’s own identity provider, with your work e-mail address.',
      values: { email: typeof email === 'string' ? email : '' },
    };
  }

  @Get('app/:org/settings/sso')
  @OrgAccess(Permission.OrganizationUpdate)
  @Render('sso/settings')
  async settingsForm() {
    return { ...(await this.page.locals()), values: SsoSettingsPageModel.values(await this.settings.current()) };
  }

  @Post('app/:org/settings/sso')
  @OrgAccess(Permission.OrganizationUpdate)
  @FormView('sso/settings', SsoSettingsPageModel)
  @Redirect()
  async save(@Body() dto: SsoSettingsDto, @Req() request: Request) {
    const saved = await this.settings.save(dto);
    const pending = saved.domains.filter((claim) => claim.status === 'pending').map((claim) => claim.domain);
    const waiting = pending.length > 0 ? ` ${pending.join(', ')} ${pending.length === 1 ? 'waits' : 'wait'} for the operator's confirmation before anyone signs in through it.` : '';
    setFlash(request, 'success', `The single sign-on settings were saved.${waiting}`);
    return { url: `/app/${this.context.organization.slug}/settings/sso`, statusCode: 303 };
  }

  @Post('app/:org/settings/sso/delete')
  @OrgAccess(Permission.OrganizationUpdate)
  @Redirect()
  async remove(@Req() request: Request) {
    await this.settings.remove();
    setFlash(request, 'success', 'Single sign-on was turned off and the domains released; members sign in with their passwords.');
    return { url: `/app/${this.context.organization.slug}/settings/sso`, statusCode: 303 };
  }

  @Get('app/admin/sso-domains')
  @Operator()
  @Render('sso/admin-domains')
  async claims() {
    const claims = await this.domains.all();
    return { title: 'Single sign-on domains', pending: claims.filter((claim) => claim.status === 'pending'), decided: claims.filter((claim) => claim.status !== 'pending') };
  }

  @Post('app/admin/sso-domains/:domain/confirm')
  @Operator()
  @Redirect('/app/admin/sso-domains', 303)
  async confirm(@Param('domain') domain: string, @Req() request: Request) {
    const claim = await this.domains.decide(domain, 'confirmed', this.context.userId);
    setFlash(request, 'success', `${claim.domain} is confirmed for ${claim.organization.name}; its addresses now sign in through its identity provider.`);
  }

  @Post('app/admin/sso-domains/:domain/reject')
  @Operator()
  @Redirect('/app/admin/sso-domains', 303)
  async reject(@Param('domain') domain: string, @Req() request: Request) {
    const claim = await this.domains.decide(domain, 'rejected', this.context.userId);
    setFlash(request, 'success', `The claim of ${claim.organization.name} on ${claim.domain} was rejected; another organization may claim it.`);
  }
}
