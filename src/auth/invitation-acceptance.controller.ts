import { Body, Controller, Get, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { InvitationsService } from '../tenancy/invitations.service';
import { organizationJson, userJson } from '../tenancy/tenancy.mapper';
import { Public } from '../access/access.decorator';
import { AcceptInvitationDto } from './dto/accept-invitation.dto';
import { startSession } from './session';
import { SessionUser } from './session-user';

/** The invitation link is the credential: anyone holding it may look at it and accept it. */
@ApiTags('invitations')
@Controller('api/v1/invitations/:token')
export class InvitationAcceptanceController {
  constructor(
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @Public()
  // Its address is the secret: no cache may keep it, nor the answer that shows who was invited.
  @Header('Cache-Control', 'no-store')
  preview(@Param('token') token: string) {
    return this.invitations.preview(token);
  }

  @Post('accept')
  @HttpCode(200)
  @Public()
  @WithoutTransaction()
  async accept(@Param('token') token: string, @Body() dto: AcceptInvitationDto, @Req() request: Request) {
    const signedIn = request.user as SessionUser | undefined;
    const { user, organization } = await this.invitations.accept(token, signedIn?.id, dto.name || dto.password ? { name: dto.name ?? '', password: dto.password ?? '' } : undefined);
    if (!signedIn) await startSession(request, user);
    return { user: userJson(user), organization: organizationJson(organization) };
  }
}
