import { Body, Controller, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public, SignedIn } from '../access/access.decorator';
import { ChangeEmailDto } from './dto/change-email.dto';
import { changeRequested, EmailChangeService } from './email-change.service';
import { EmailVerificationService, VERIFICATION_LINK_HOURS, Verified } from './email-verification.service';
import { SessionUser } from './session-user';

export const verifiedMessage = (verified: Verified) =>
  verified.changed ? `Your account now uses ${verified.email}; the old address was told.` : `${verified.email} is confirmed as your address.`;
export const resentMessage = (email: string) => `A new link to confirm ${email} is on its way to it; it works once, within ${VERIFICATION_LINK_HOURS} hours.`;

@ApiTags('auth')
@Controller('api/v1/auth')
export class EmailVerificationController {
  constructor(
    private readonly verifications: EmailVerificationService,
    private readonly changes: EmailChangeService,
  ) {}

  /** Sends the signed-in person a new link for their address. */
  @Post('verify-email')
  @HttpCode(202)
  @SignedIn()
  async resend(@Req() request: Request) {
    return { message: resentMessage(await this.verifications.resend((request.user as SessionUser).id)) };
  }

  /** The link is the credential: whoever opens the mail confirms the address, signed in or not. */
  @Post('verify-email/:token')
  @HttpCode(200)
  @Public()
  async verify(@Param('token') token: string) {
    const verified = await this.verifications.verify(token);
    return { email: verified.email, changed: verified.changed, message: verifiedMessage(verified) };
  }

  /** Asks to change the address: the new one is mailed a link, and the change waits for it. */
  @Put('email')
  @HttpCode(202)
  @SignedIn()
  async changeEmail(@Body() dto: ChangeEmailDto, @Req() request: Request) {
    await this.changes.request((request.user as SessionUser).id, dto.email, dto.password);
    return { email: dto.email, message: changeRequested(dto.email) };
  }
}
