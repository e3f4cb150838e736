import { Body, Controller, Get, Header, Param, Post, Query, Redirect, Render, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { InvitationsService } from '../tenancy/invitations.service';
import { Public, SignedIn } from '../access/access.decorator';
import { AccountPageModel } from './account.page';
import { AccountService } from './account.service';
import { AcceptInvitationDto } from './dto/accept-invitation.dto';
import { ChangePasswordDto } from './dto/change-password.dto';
import { SetupOperatorDto } from './dto/setup-operator.dto';
import { SignUpDto } from './dto/sign-up.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { OperatorSetupService } from './operator-setup.service';
import { endSession, startSession } from './session';
import { SessionUser } from './session-user';
import { SignUpService } from './sign-up.service';

const SIGN_UP_DESCRIPTION = 'Create an Adhere account for your organization: a provider declaring adherence to a code of conduct, or a monitoring body verifying it.';
const SIGN_IN_DESCRIPTION = 'Sign in to Adhere to work on your organization’s declarations of adherence, evidence and reviews.';

/** A local path to return to after signing in; anything else could send people to another site. */
function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : undefined;
}

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly signUps: SignUpService,
    private readonly accounts: AccountService,
    private readonly invitations: InvitationsService,
    private readonly setup: OperatorSetupService,
    private readonly accountPage: AccountPageModel,
  ) {}

  @Get('signup')
  @Public()
  @Render('auth/signup')
  signUpForm() {
    return { title: 'Create your account', description: SIGN_UP_DESCRIPTION, values: { organization: { kind: 'provider' } } };
  }

  @Post('signup')
  @Public()
  @WithoutTransaction()
  @FormView('auth/signup')
  @Redirect()
  async signUp(@Body() dto: SignUpDto, @Req() request: Request) {
    const { user, organization } = await this.signUps.signUp(dto);
    await startSession(request, user);
    setFlash(request, 'success', `Welcome to Adhere. ${organization.name} is ready.`);
    return { url: `/app/${organization.slug}`, statusCode: 303 };
  }

  @Get('signin')
  @Public()
  @Render('auth/signin')
  signInForm(@Query('next') next?: string) {
    return { title: 'Sign in', description: SIGN_IN_DESCRIPTION, values: { next: safeNext(next) } };
  }

  @Post('signin')
  @Public()
  @WithoutTransaction()
  @FormView('auth/signin')
  @UseGuards(LocalAuthGuard)
  @Redirect()
  signIn(@Req() request: Request) {
    return { url: safeNext((request.body as { next?: unknown }).next) ?? '/', statusCode: 303 };
  }

  /** People type /login: it leads to the sign-in page, with the same query (which checks `next` itself). */
  @Get('login')
  @Public()
  @Redirect()
  login(@Req() request: Request) {
    const query = request.originalUrl.indexOf('?');
    return { url: `/signin${query < 0 ? '' : request.originalUrl.slice(query)}`, statusCode: 301 };
  }

  /** People type /logout: it leads to the sign-out page (signing out is a form, never a link). */
  @Get('logout')
  @Public()
  @Redirect('/signout', 301)
  logout() {}

  @Get('signout')
  @Public()
  @Render('auth/signout')
  signOutPage() {
    return { title: 'Sign out', description: 'Sign out of Adhere on this browser.' };
  }

  @Post('signout')
  @Public()
  @WithoutTransaction()
  @Redirect('/', 303)
  async signOut(@Req() request: Request) {
    await endSession(request);
  }

  @Get('account')
  @SignedIn()
  @Render('auth/account')
  account(@Req() request: Request) {
    return this.accountPage.locals(request);
  }

  @Post('account/password')
  @SignedIn()
  @FormView('auth/account', AccountPageModel)
  @Redirect('/account', 303)
  async changePassword(@Body() dto: ChangePasswordDto, @Req() request: Request) {
    await this.accounts.changePassword((request.user as SessionUser).id, dto.currentPassword, dto.newPassword, request.sessionID);
    setFlash(request, 'success', 'Your password has been changed. Your other sessions were signed out.');
  }

  @Get('setup/:token')
  @Public()
  @Header('Cache-Control', 'no-store')
  @Render('auth/setup')
  async setupForm(@Param('token') token: string) {
    await this.setup.checkLink(token);
    return { title: 'Create the operator account', description: 'Create the first operator account of this Adhere installation.', token };
  }

  @Post('setup/:token')
  @Public()
  @WithoutTransaction()
  @FormView('auth/setup')
  @Redirect('/', 303)
  async createOperator(@Param('token') token: string, @Body() dto: SetupOperatorDto, @Req() request: Request) {
    const user = await this.setup.createOperator(token, dto);
    await startSession(request, user);
    setFlash(request, 'success', 'The operator account is ready, and you are signed in with it.');
  }

  @Get('invitations/:token')
  @Public()
  @Header('Cache-Control', 'no-store')
  @Render('auth/invitation')
  async invitation(@Param('token') token: string) {
    const invitation = await this.invitations.preview(token);
    return { title: 'Invitation', description: `Join ${invitation.organization.name} on Adhere.`, token, invitation };
  }

  @Post('invitations/:token')
  @Public()
  @WithoutTransaction()
  @FormView('auth/invitation')
  @Redirect()
  async acceptInvitation(@Param('token') token: string, @Body() dto: AcceptInvitationDto, @Req() request: Request) {
    const signedIn = request.user as SessionUser | undefined;
    const { user, organization } = await this.invitations.accept(token, signedIn?.id, signedIn ? undefined : { name: dto.name ?? '', password: dto.password ?? '' });
    if (!signedIn) await startSession(request, user);
    setFlash(request, 'success', `You joined ${organization.name}.`);
    return { url: `/app/${organization.slug}`, statusCode: 303 };
  }
}
