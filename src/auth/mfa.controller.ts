import { Body, Controller, Delete, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public, SignedIn } from '../access/access.decorator';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { userJson } from '../tenancy/tenancy.mapper';
import { UsersService } from '../tenancy/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { RemoveSecondFactorDto, SecondFactorCodeDto } from './dto/second-factor.dto';
import { MfaEnrolment } from './mfa/mfa-enrolment';
import { SecondFactorCheck } from './mfa/second-factor-check';
import { hasSecondFactor } from './mfa/second-factors';
import { completeSignIn, markSecondFactor, pendingSignIn } from './second-factor-session';
import { SessionUser } from './session-user';

export const NO_PENDING_SIGN_IN = 'No sign-in is waiting for a second factor on this session, or it waited more than five minutes. Sign in with your email address and password first.';

@ApiTags('auth')
@Controller('api/v1/auth')
export class MfaController {
  constructor(
    private readonly enrolment: MfaEnrolment,
    private readonly check: SecondFactorCheck,
    private readonly users: UsersService,
  ) {}

  /** The second step of a sign-in whose password was right: a code completes it. */
  @Post('login/mfa')
  @HttpCode(200)
  @Public()
  @WithoutTransaction()
  async completeSignIn(@Body() dto: SecondFactorCodeDto, @Req() request: Request) {
    const pending = pendingSignIn(request);
    if (!pending) throw new AuthException(AuthErrorCode.NoPendingSignIn, NO_PENDING_SIGN_IN);
    await this.check.prove(pending.userId, dto.code);
    const user = await this.users.findActive(pending.userId);
    if (!user) throw new AuthException(AuthErrorCode.NoPendingSignIn, NO_PENDING_SIGN_IN);
    await completeSignIn(request, user);
    return { user: userJson(user) };
  }

  @Post('mfa/totp')
  @SignedIn()
  begin(@Req() request: Request) {
    const user = request.user as SessionUser;
    return this.enrolment.begin(user.id, user.email);
  }

  @Post('mfa/totp/confirm')
  @HttpCode(200)
  @SignedIn()
  async confirm(@Body() dto: SecondFactorCodeDto, @Req() request: Request) {
    const recoveryCodes = await this.enrolment.confirm((request.user as SessionUser).id, dto.code);
    // Giving the first code proves the factor on this session too.
    markSecondFactor(request);
    return { recoveryCodes };
  }

  @Delete('mfa/totp')
  @HttpCode(204)
  @SignedIn()
  @WithoutTransaction()
  async remove(@Body() dto: RemoveSecondFactorDto, @Req() request: Request) {
    await this.enrolment.removeTotp(request, (request.user as SessionUser).id, dto.password, { code: dto.code, response: dto.response });
  }

  @Post('mfa/recovery-codes')
  @HttpCode(200)
  @SignedIn()
  @WithoutTransaction()
  async renewRecoveryCodes(@Body() dto: SecondFactorCodeDto, @Req() request: Request) {
    return { recoveryCodes: await this.enrolment.regenerateRecoveryCodes((request.user as SessionUser).id, dto.code) };
  }

  /** A fresh second factor before consequential acts, where the organization requires step-up. */
  @Post('step-up')
  @HttpCode(200)
  @SignedIn()
  @WithoutTransaction()
  async stepUp(@Body() dto: SecondFactorCodeDto, @Req() request: Request) {
    const user = request.user as SessionUser;
    if (!hasSecondFactor(user.secondFactors)) {
      throw new AuthException(AuthErrorCode.NoSecondFactor, 'Your account has no second factor to give: set up an authenticator app on your account page, /account, first.');
    }
    await this.check.prove(user.id, dto.code);
    markSecondFactor(request);
    return { secondFactorAt: new Date(request.session.secondFactorAt!).toISOString() };
  }
}
