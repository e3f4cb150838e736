import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public, SignedIn } from '../../access/access.decorator';
import { WithoutTransaction } from '../../database/without-transaction.decorator';
import { userJson } from '../../tenancy/tenancy.mapper';
import { completeSignIn } from '../second-factor-session';
import { SessionUser } from '../session-user';
import { PasskeyAssertionDto } from './dto/passkey.dto';
import { PasskeyAssertions } from './passkey-assertions';
import { PasskeySignIn } from './passkey-sign-in.service';
import { SecondFactorProof } from './second-factor-proof';

@ApiTags('auth')
@Controller('api/v1/auth')
export class PasskeySignInController {
  constructor(
    private readonly signIns: PasskeySignIn,
    private readonly assertions: PasskeyAssertions,
    private readonly proof: SecondFactorProof,
  ) {}

  /** Options for a sign-in without a password, or for the second factor of one whose password was right. */
  @Post('login/passkey/options')
  @HttpCode(200)
  @Public()
  @WithoutTransaction()
  signInOptions(@Req() request: Request) {
    return this.signIns.options(request);
  }

  @Post('login/passkey')
  @HttpCode(200)
  @Public()
  @WithoutTransaction()
  async signIn(@Body() dto: PasskeyAssertionDto, @Req() request: Request) {
    const user = await this.signIns.verify(request, dto.response);
    await completeSignIn(request, user);
    return { user: userJson(user) };
  }

  /** Options for proving a passkey again while signed in, before an act that needs a fresh factor. */
  @Post('step-up/passkey/options')
  @HttpCode(200)
  @SignedIn()
  stepUpOptions(@Req() request: Request) {
    return this.assertions.options(request, 'step-up', (request.user as SessionUser).id);
  }

  @Post('step-up/passkey')
  @HttpCode(204)
  @SignedIn()
  @WithoutTransaction()
  async stepUp(@Body() dto: PasskeyAssertionDto, @Req() request: Request) {
    await this.proof.prove(request, (request.user as SessionUser).id, { response: dto.response });
  }
}
