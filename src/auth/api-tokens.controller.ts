import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrgAccess, VERIFIED_EMAIL } from '../access/access.decorator';
import { ApiToken } from './entities/api-token.entity';
import { ApiTokensService } from './api-tokens.service';
import { CreateTokenDto } from './dto/create-token.dto';
import { Permission } from '../access/permissions';

export const apiTokenView = (token: ApiToken) => ({
  id: token.id,
  name: token.name,
  prefix: token.tokenPrefix,
  scopes: token.scopes,
  expiresAt: token.expiresAt,
  lastUsedAt: token.lastUsedAt,
  revokedAt: token.revokedAt,
  createdAt: token.createdAt,
});

@ApiTags('api tokens')
@Controller('api/v1/orgs/:org/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  @OrgAccess(Permission.TokensManage)
  async list() {
    return (await this.tokens.list()).map(apiTokenView);
  }

  /** The token itself is in this answer only; it is stored as a hash. */
  @Post()
  @OrgAccess(Permission.TokensManage, VERIFIED_EMAIL)
  async create(@Body() dto: CreateTokenDto) {
    const { apiToken, token } = await this.tokens.create(dto.name, dto.scopes, dto.expiresAt);
    return { ...apiTokenView(apiToken), token };
  }

  @Delete(':id')
  @HttpCode(204)
  @OrgAccess(Permission.TokensManage)
  async revoke(@Param('id', ParseUUIDPipe) id: string) {
    await this.tokens.revoke(id);
  }
}
