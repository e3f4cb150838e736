import { Controller, Param, Post, Redirect, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { SignedIn } from '../access/access.decorator';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { AccountSessions } from './account-sessions';
import { AccountPageModel } from './account.page';
import { SessionUser } from './session-user';

/** The account page's buttons that end sessions. */
@ApiExcludeController()
@Controller('account/sessions')
export class SessionsPagesController {
  constructor(private readonly sessions: AccountSessions) {}

  @Post('end-others')
  @SignedIn()
  @FormView('auth/account', AccountPageModel)
  @Redirect('/account', 303)
  async endOthers(@Req() request: Request) {
    await this.sessions.endOthers((request.user as SessionUser).id, request.sessionID);
    setFlash(request, 'success', 'You are signed out everywhere else.');
  }

  @Post(':id/end')
  @SignedIn()
  @FormView('auth/account', AccountPageModel)
  @Redirect('/account', 303)
  async end(@Param('id') id: string, @Req() request: Request) {
    await this.sessions.end((request.user as SessionUser).id, id);
    setFlash(request, 'success', 'That session is signed out.');
  }
}
