import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrgAccess } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { SsoSettingsDto } from './dto/sso-settings.dto';
import { SsoSettingsService } from './sso-settings';
import { ssoSettingsJson } from './sso.mapper';

@ApiTags('single sign-on')
@Controller('api/v1/orgs/:org/sso')
export class SsoController {
  constructor(private readonly settings: SsoSettingsService) {}

  @Get()
  @OrgAccess(Permission.OrganizationUpdate)
  async get() {
    const settings = await this.settings.current();
    if (!settings) throw this.settings.notConfigured();
    return ssoSettingsJson(settings);
  }

  @Put()
  @OrgAccess(Permission.OrganizationUpdate)
  async put(@Body() dto: SsoSettingsDto) {
    return ssoSettingsJson(await this.settings.save(dto));
  }

  @Delete()
  @HttpCode(204)
  @OrgAccess(Permission.OrganizationUpdate)
  async remove() {
    await this.settings.remove();
  }
}
