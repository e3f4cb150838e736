import { Body, Controller, Get, HttpCode, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public, SignedIn } from '../access/access.decorator';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { UsersService } from '../tenancy/users.service';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { AuthErrorCode, AuthException } from './auth.exception';
import { RemoveSecondFactorDto, SecondFactorCodeDto, SecondFactorCodeFormDto } from './dto/second-factor.dto';
import { NO_PENDING_SIGN_IN } from './mfa.controller';
import { MfaEnrolment } from './mfa/mfa-enrolment';
import { SecondFactorCheck } from './mfa/second-factor-check';
import { mfaSetupPage, MfaSetupPageModel } from './mfa-setup.page';
import { completeSignIn, markSecondFactor, pendingSignIn } from './second-factor-session';
import { safeNext } from './safe-next';
import { signInMfaPage, SignInMfaPageModel } from './signin-mfa.page';
import { SessionUser } from './session-user';

const CODES_TITLE = 'Your recovery codes';

@ApiExcludeController()
@Controller()
export class MfaPagesController {
  constructor(
    private readonly enrolment: MfaEnrolment,
    private readonly check: SecondFactorCheck,
    private readonly users: UsersService,
  ) {}

  /** The sign-in's second page: the password was right, the code is still owed. */
  @Get('signin/mfa')
  @Public()
  @Render('auth/signin-mfa')
  codeForm(@Query('next') next: string | undefined, @Req() request: Request) {
    return { ...signInMfaPage(request), values: { next: safeNext(next) } };
  }

  @Post('signin/mfa')
  @Public()
  @WithoutTransaction()
  @FormView('auth/signin-mfa', SignInMfaPageModel)
  @Redirect()
  async signIn(@Body() dto: SecondFactorCodeFormDto, @Req() request: Request) {
    const pending = pendingSignIn(request);
    if (!pending) throw new AuthException(AuthErrorCode.NoPendingSignIn, NO_PENDING_SIGN_IN);
    const method = await this.check.prove(pending.userId, dto.code);
    const user = await this.users.findActive(pending.userId);
    if (!user) throw new AuthException(AuthErrorCode.NoPendingSignIn, NO_PENDING_SIGN_IN);
    await completeSignIn(request, user);
    if (method === 'recovery_code') setFlash(request, 'success', 'You signed in with a recovery code, which cannot be used again. If your authenticator is lost, set up a new one on your account page.');
    return { url: safeNext(dto.next) ?? '/', statusCode: 303 };
  }

  /** Starts an authenticator's set-up: the page shows the QR code and asks for the first code. */
  @Post('account/mfa/totp')
  @HttpCode(200)
  @SignedIn()
  @FormView('auth/account')
  @Render('auth/mfa-setup')
  async begin(@Req() request: Request) {
    const user = request.user as SessionUser;
    return mfaSetupPage(await this.enrolment.begin(user.id, user.email));
  }

  @Post('account/mfa/totp/confirm')
  @HttpCode(200)
  @SignedIn()
  @FormView('auth/mfa-setup', MfaSetupPageModel)
  @Render('auth/recovery-codes')
  async confirm(@Body() dto: SecondFactorCodeDto, @Req() request: Request) {
    const recoveryCodes = await this.enrolment.confirm((request.user as SessionUser).id, dto.code);
    markSecondFactor(request);
    return { title: CODES_TITLE, recoveryCodes, enrolled: true };
  }

  @Post('account/mfa/totp/remove')
  @SignedIn()
  @WithoutTransaction()
  @FormView('auth/account')
  @Redirect('/account', 303)
  async remove(@Body() dto: RemoveSecondFactorDto, @Req() request: Request) {
    await this.enrolment.removeTotp(request, (request.user as SessionUser).id, dto.password, { code: dto.code, response: dto.response });
    setFlash(request, 'success', 'The authenticator app was removed from your account, and its recovery codes with it. Signing in now takes your password only.');
  }

  @Post('account/mfa/recovery-codes')
  @HttpCode(200)
  @SignedIn()
  @WithoutTransaction()
  @FormView('auth/account')
  @Render('auth/recovery-codes')
  async renewRecoveryCodes(@Body() dto: SecondFactorCodeDto, @Req() request: Request) {
    return { title: CODES_TITLE, recoveryCodes: await this.enrolment.regenerateRecoveryCodes((request.user as SessionUser).id, dto.code) };
  }
}
