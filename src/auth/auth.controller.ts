import { Body, Controller, Get, HttpCode, Post, Put, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { organizationJson, userJson } from '../tenancy/tenancy.mapper';
import { Public, SignedIn } from '../access/access.decorator';
import { AccountService } from './account.service';
import { csrf } from '../access/csrf';
import { ChangePasswordDto } from './dto/change-password.dto';
import { SignInDto } from './dto/sign-in.dto';
import { SignUpDto } from './dto/sign-up.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { endSession, startSession } from './session';
import { pendingSignIn } from './second-factor-session';
import { SessionUser } from './session-user';
import { SignUpService } from './sign-up.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly signUps: SignUpService,
    private readonly accounts: AccountService,
  ) {}

  @Post('signup')
  @Public()
  @WithoutTransaction()
  async signUp(@Body() dto: SignUpDto, @Req() request: Request) {
    const { user, organization } = await this.signUps.signUp(dto);
    await startSession(request, user);
    return { user: userJson(user), organization: organizationJson(organization) };
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @WithoutTransaction()
  @UseGuards(LocalAuthGuard)
  @ApiBody({ type: SignInDto })
  login(@Req() request: Request) {
    // The password was right, and the account has a second factor: POST login/mfa completes the sign-in.
    const pending = pendingSignIn(request);
    if (!request.user && pending) return { mfaRequired: true, methods: pending.methods };
    return { user: request.user };
  }

  @Post('logout')
  @HttpCode(204)
  @Public()
  @WithoutTransaction()
  async logout(@Req() request: Request) {
    await endSession(request);
  }

  @Get('session')
  @SignedIn()
  session(@Req() request: Request) {
    const { memberships, ...user } = request.user as SessionUser;
    return {
      user,
      memberships: memberships.map(({ organization, role }) => ({ organization: { id: organization.id, slug: organization.slug, kind: organization.kind }, role })),
      csrfToken: csrf.generateToken(request),
    };
  }

  @Put('password')
  @HttpCode(204)
  @SignedIn()
  async changePassword(@Body() dto: ChangePasswordDto, @Req() request: Request) {
    await this.accounts.changePassword((request.user as SessionUser).id, dto.currentPassword, dto.newPassword, request.sessionID);
  }
}
