import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { TenantContext } from '../common/tenant-context';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { OrgAccess, VERIFIED_EMAIL } from '../access/access.decorator';
import { apiTokenView } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { CreateTokenDto } from './dto/create-token.dto';
import { Permission } from '../access/permissions';

@ApiExcludeController()
@Controller('app/:org/tokens')
export class TokensPagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly tokens: ApiTokensService,
  ) {}

  @Get()
  @OrgAccess(Permission.TokensManage)
  @Render('auth/tokens-list')
  async list() {
    return { title: 'API tokens', org: this.context.organization, tokens: (await this.tokens.list()).map(apiTokenView) };
  }

  @Get('new')
  @OrgAccess(Permission.TokensManage)
  @Render('auth/tokens-new')
  form() {
    return { title: 'New API token', org: this.context.organization, values: { scopes: ['read'] } };
  }

  @Post()
  @OrgAccess(Permission.TokensManage, VERIFIED_EMAIL)
  @FormView('auth/tokens-new')
  @HttpCode(200)
  @Render('auth/tokens-created')
  async create(@Body() dto: CreateTokenDto) {
    const { apiToken, token } = await this.tokens.create(dto.name, dto.scopes, dto.expiresAt);
    return { title: 'API token created', org: this.context.organization, apiToken: apiTokenView(apiToken), token };
  }

  @Post(':id/revoke')
  @OrgAccess(Permission.TokensManage)
  @Redirect()
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    await this.tokens.revoke(id);
    setFlash(request, 'success', 'The token was revoked; requests that present it are now refused.');
    return { url: `/app/${this.context.organization.slug}/tokens`, statusCode: 303 };
  }
}
