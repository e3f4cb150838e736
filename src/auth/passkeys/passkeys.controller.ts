import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { SignedIn } from '../../access/access.decorator';
import { SessionUser } from '../session-user';
import { WithoutTransaction } from '../../database/without-transaction.decorator';
import { RemoveSecondFactorDto } from '../dto/second-factor.dto';
import { EnrolPasskeyDto } from './dto/passkey.dto';
import { passkeyJson } from './passkeys.mapper';
import { PasskeysService } from './passkeys.service';

const caller = (request: Request) => request.user as SessionUser;

@ApiTags('auth')
@Controller('api/v1/auth/passkeys')
export class PasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  /** Options for `navigator.credentials.create()`; the challenge stays on the session for 5 minutes, for one answer. */
  @Post('registration-options')
  @HttpCode(200)
  @SignedIn()
  registrationOptions(@Req() request: Request) {
    return this.passkeys.registrationOptions(request, caller(request));
  }

  @Post()
  @SignedIn()
  async enrol(@Body() dto: EnrolPasskeyDto, @Req() request: Request) {
    return passkeyJson(await this.passkeys.enrol(request, caller(request).id, dto.name, dto.response));
  }

  @Get()
  @SignedIn()
  async list(@Req() request: Request) {
    return { passkeys: (await this.passkeys.list(caller(request).id)).map(passkeyJson) };
  }

  /** With the password and any factor proved now: a passkey's answer to a step-up challenge, or a code. */
  @Delete(':id')
  @HttpCode(204)
  @SignedIn()
  @WithoutTransaction()
  async remove(@Param('id') id: string, @Body() dto: RemoveSecondFactorDto, @Req() request: Request) {
    await this.passkeys.remove(request, caller(request).id, id, dto.password, { code: dto.code, response: dto.response });
  }
}
