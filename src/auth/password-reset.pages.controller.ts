import { Body, Controller, Get, Header, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../access/access.decorator';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { RequestPasswordResetDto, ResetPasswordFormDto } from './dto/password-reset.dto';
import { PasswordResetService, RESET_DONE, RESET_LINK_MINUTES, RESET_REQUESTED } from './password-reset.service';

@ApiExcludeController()
@Controller()
export class PasswordResetPagesController {
  constructor(private readonly resets: PasswordResetService) {}

  @Get('forgot-password')
  @Public()
  @Render('auth/forgot-password')
  forgotForm() {
    return { title: 'Forgot your password?', description: 'Get a link by e-mail to choose a new password for your Adhere account.', minutes: RESET_LINK_MINUTES };
  }

  @Post('forgot-password')
  @Public()
  @FormView('auth/forgot-password')
  @Redirect('/forgot-password', 303)
  async request(@Body() dto: RequestPasswordResetDto, @Req() request: Request) {
    await this.resets.request(dto.email, request.ip);
    setFlash(request, 'success', RESET_REQUESTED);
  }

  @Get('reset-password/:token')
  @Public()
  @Header('Cache-Control', 'no-store')
  @Render('auth/reset-password')
  async resetForm(@Param('token') token: string) {
    await this.resets.check(token);
    return { title: 'Choose a new password', description: 'Choose a new password for your Adhere account.', token };
  }

  @Post('reset-password/:token')
  @Public()
  @FormView('auth/reset-password')
  @Redirect('/signin', 303)
  async reset(@Param('token') token: string, @Body() dto: ResetPasswordFormDto, @Req() request: Request) {
    await this.resets.complete(token, dto.password);
    setFlash(request, 'success', RESET_DONE);
  }
}
