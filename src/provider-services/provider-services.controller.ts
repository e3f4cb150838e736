import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrgAccess } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { ApplicabilityQueryDto } from './dto/applicability-query.dto';
import { CreateServiceDto } from './dto/create-service.dto';
import { UpdateServiceDto } from './dto/update-service.dto';
import { ServiceRegistry } from './service-registry';
import { serviceJson } from './provider-services.mapper';

@ApiTags('services')
@Controller('api/v1/orgs/:org/services')
export class ProviderServicesController {
  constructor(private readonly services: ServiceRegistry) {}

  @Get()
  @OrgAccess(Permission.ServicesRead)
  async list() {
    return (await this.services.list()).map(serviceJson);
  }

  @Post()
  @OrgAccess(Permission.ServicesManage)
  async create(@Body() dto: CreateServiceDto) {
    return serviceJson(await this.services.create(dto));
  }

  @Get(':id')
  @OrgAccess(Permission.ServicesRead)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return serviceJson(await this.services.get(id));
  }

  @Patch(':id')
  @OrgAccess(Permission.ServicesManage)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateServiceDto) {
    return serviceJson(await this.services.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @OrgAccess(Permission.ServicesManage)
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await this.services.remove(id);
  }

  /** The requirements of a code version that apply to the service, and the rule that excluded each other one. */
  @Get(':id/applicability')
  @OrgAccess(Permission.ServicesRead)
  async applicability(@Param('id', ParseUUIDPipe) id: string, @Query() query: ApplicabilityQueryDto) {
    const { code, version, applicable, excluded, undecided } = await this.services.applicability(id, query.code, query.version);
    return { code, version, applicable, excluded, undecided };
  }
}
