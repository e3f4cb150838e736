import { Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { SignedIn } from '../access/access.decorator';
import { AccountSessions } from './account-sessions';
import { SessionUser } from './session-user';

@ApiTags('auth')
@Controller('api/v1/auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: AccountSessions) {}

  /** The caller's signed-in sessions: device, coarse place, started, last seen, and which one is this. */
  @Get()
  @SignedIn()
  list(@Req() request: Request) {
    return this.sessions.list((request.user as SessionUser).id, request.sessionID);
  }

  /** Signs out everywhere but here. */
  @Post('end-others')
  @HttpCode(204)
  @SignedIn()
  async endOthers(@Req() request: Request) {
    await this.sessions.endOthers((request.user as SessionUser).id, request.sessionID);
  }

  @Delete(':id')
  @HttpCode(204)
  @SignedIn()
  async end(@Param('id') id: string, @Req() request: Request) {
    await this.sessions.end((request.user as SessionUser).id, id);
  }
}
