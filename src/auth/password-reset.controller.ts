import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../access/access.decorator';
import { RequestPasswordResetDto, ResetPasswordDto } from './dto/password-reset.dto';
import { PasswordResetService, RESET_DONE, RESET_REQUESTED } from './password-reset.service';

@ApiTags('auth')
@Controller('api/v1/auth/password-reset')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post()
  @HttpCode(202)
  @Public()
  async request(@Body() dto: RequestPasswordResetDto, @Req() request: Request) {
    await this.resets.request(dto.email, request.ip);
    return { message: RESET_REQUESTED };
  }

  @Post(':token')
  @HttpCode(200)
  @Public()
  async reset(@Param('token') token: string, @Body() dto: ResetPasswordDto) {
    await this.resets.complete(token, dto.password);
    return { message: RESET_DONE };
  }
}
