import { Body, Controller, Get, HttpCode, Post, Query, Redirect, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../access/access.decorator';
import { startSession } from '../auth/session';
import { SSO_SIGN_IN_PAGE } from '../auth/single-sign-on-rule';
import { AppConfig } from '../config/app-config.service';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { SsoDiscoverDto } from './dto/sso-settings.dto';
import { takeSsoFlow } from './sso-flow-session';
import { SsoSignIn } from './sso-sign-in';

/** Where an address starts its sign-in through its organization's identity provider. */
export function ssoStartUrl(publicUrl: string, email: string): string {
  return `${publicUrl}/auth/sso/start?${new URLSearchParams({ email: email.trim() })}`;
}

@ApiTags('auth')
@Controller()
export class SsoSignInController {
  constructor(
    private readonly signIn: SsoSignIn,
    private readonly config: AppConfig,
  ) {}

  /** Whether this address signs in through its organization, and where to send the browser if so. */
  @Post('api/v1/auth/sso/discover')
  @HttpCode(200)
  @Public()
  async discover(@Body() dto: SsoDiscoverDto) {
    const organization = await this.signIn.organizationFor(dto.email);
    return organization ? { sso: true, url: ssoStartUrl(this.config.publicUrl, dto.email), organization: { name: organization.name } } : { sso: false };
  }

  /** Sends the browser to the identity provider, with the flow's secrets kept in its session. */
  @Get('auth/sso/start')
  @Public()
  @Redirect()
  async start(@Query() query: SsoDiscoverDto, @Req() request: Request) {
    const started = await this.signIn.start(query.email);
    if (!started) {
      setFlash(request, 'error', `No organization signs in addresses like ${query.email} through single sign-on; sign in with your password instead.`);
      // 302, as for the provider: the browser comes back to the form, nothing was refused or written.
      return { url: `${SSO_SIGN_IN_PAGE}?${new URLSearchParams({ email: query.email })}`, statusCode: 302 };
    }
    request.session.ssoFlow = started.flow;
    return { url: started.url, statusCode: 302 };
  }

  /** The identity provider sends the browser back here; the person is signed in once all checks pass. */
  @Get('auth/sso/callback')
  @Public()
  @WithoutTransaction()
  @Redirect()
  async callback(@Req() request: Request) {
    const flow = takeSsoFlow(request);
    const query = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1) : '';
    const { user, organization, created } = await this.signIn.finish(flow, query);
    await startSession(request, user);
    request.session.ssoSignIn = { organizationId: organization.id, at: Date.now() };
    setFlash(request, 'success', created ? `Welcome to Adhere. You joined ${organization.name} through its single sign-on.` : `Signed in through ${organization.name}.`);
    return { url: `/app/${organization.slug}`, statusCode: 303 };
  }
}
