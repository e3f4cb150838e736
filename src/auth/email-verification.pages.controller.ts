import { Body, Controller, Get, Header, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public, SignedIn } from '../access/access.decorator';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { AccountPageModel } from './account.page';
import { ChangeEmailDto } from './dto/change-email.dto';
import { changeRequested, EmailChangeService } from './email-change.service';
import { resentMessage, verifiedMessage } from './email-verification.controller';
import { EmailVerificationService } from './email-verification.service';
import { SessionUser } from './session-user';

@ApiExcludeController()
@Controller()
export class EmailVerificationPagesController {
  constructor(
    private readonly verifications: EmailVerificationService,
    private readonly changes: EmailChangeService,
  ) {}

  /** Only shows a button: mail scanners open links, and opening one must not confirm anything. */
  @Get('verify-email/:token')
  @Public()
  @Header('Cache-Control', 'no-store')
  @Render('auth/verify-email')
  async confirmForm(@Param('token') token: string) {
    const { email } = await this.verifications.check(token);
    return { title: 'Confirm your e-mail address', description: 'Confirm the e-mail address of your Adhere account.', token, email };
  }

  /** Then to the account page, which first asks a signed-out person to sign in (the message waits for them). */
  @Post('verify-email/:token')
  @Public()
  @FormView('auth/verify-email')
  @Redirect('/account', 303)
  async confirm(@Param('token') token: string, @Req() request: Request) {
    setFlash(request, 'success', verifiedMessage(await this.verifications.verify(token)));
  }

  @Post('account/verify-email')
  @SignedIn()
  @FormView('auth/account', AccountPageModel)
  @Redirect('/account', 303)
  async resend(@Req() request: Request) {
    setFlash(request, 'success', resentMessage(await this.verifications.resend((request.user as SessionUser).id)));
  }

  @Post('account/email')
  @SignedIn()
  @FormView('auth/account', AccountPageModel)
  @Redirect('/account', 303)
  async changeEmail(@Body() dto: ChangeEmailDto, @Req() request: Request) {
    await this.changes.request((request.user as SessionUser).id, dto.email, dto.password);
    setFlash(request, 'success', changeRequested(dto.email));
  }
}
