import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrgAccess } from '../access/access.decorator';
import { Permission, roleAllows } from '../access/permissions';
import { CodesService } from '../codes/codes.service';
import { TenantContext } from '../common/tenant-context';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import type { Role } from '../access/roles';
import { CreateServiceDto } from './dto/create-service.dto';
import { ServicePageQueryDto } from './dto/applicability-query.dto';
import { UpdateServiceDto } from './dto/update-service.dto';
import { profileFromForm } from './profile-form';
import { ServiceFormModel } from './service-form.page';
import { ServiceRegistry } from './service-registry';
import { applicabilityForPage, profileForPage, questionGroupsOf } from './service-profile.page';

/** A provider's pages for its services: describe each one, and see which requirements apply to it. */
@ApiExcludeController()
@Controller('app/:org/services')
export class ProviderServicesPagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly services: ServiceRegistry,
    private readonly codes: CodesService,
    private readonly form: ServiceFormModel,
  ) {}

  @Get()
  @OrgAccess(Permission.ServicesRead)
  @Render('provider-services/list')
  async list() {
    return { title: 'Services', org: this.context.organization, services: await this.services.list(), canManage: this.canManage() };
  }

  @Get('new')
  @OrgAccess(Permission.ServicesManage)
  @Render('provider-services/form')
  async newForm(@Req() request: Request) {
    return { ...(await this.form.locals(request)), values: { profile: {} } };
  }

  @Post()
  @OrgAccess(Permission.ServicesManage)
  @FormView('provider-services/form', ServiceFormModel)
  @Redirect()
  async create(@Body() dto: CreateServiceDto, @Req() request: Request) {
    const service = await this.services.create({ ...dto, profile: await this.profileFrom(dto.profile) });
    setFlash(request, 'success', `${service.name} is registered. Below: the requirements that apply to it.`);
    return { url: `/app/${this.context.organization.slug}/services/${service.id}`, statusCode: 303 };
  }

  @Get(':id')
  @OrgAccess(Permission.ServicesRead)
  @Render('provider-services/show')
  async show(@Param('id', ParseUUIDPipe) id: string, @Query() query: ServicePageQueryDto) {
    const service = await this.services.get(id);
    const codes = await this.codes.profileQuestions();
    const applicability = [];
    for (const current of codes) {
      const chosen = current.code === query.code && query.version ? query.version : current.version;
      applicability.push(applicabilityForPage(await this.services.applicabilityOf(service, current.code, chosen)));
    }
    return {
      title: service.name,
      org: this.context.organization,
      service,
      profile: profileForPage(questionGroupsOf(codes), service.profile),
      applicability,
      canManage: this.canManage(),
    };
  }

  @Get(':id/edit')
  @OrgAccess(Permission.ServicesManage)
  @Render('provider-services/form')
  async editForm(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    const service = await this.services.get(id);
    return { ...(await this.form.locals(request)), values: service };
  }

  @Post(':id')
  @OrgAccess(Permission.ServicesManage)
  @FormView('provider-services/form', ServiceFormModel)
  @Redirect()
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateServiceDto, @Req() request: Request) {
    // The form always shows every field: one left empty is cleared.
    const service = await this.services.update(id, {
      ...dto,
      description: dto.description ?? null,
      url: dto.url ?? null,
      profile: await this.profileFrom(dto.profile),
    });
    setFlash(request, 'success', `${service.name} was saved.`);
    return { url: `/app/${this.context.organization.slug}/services/${id}`, statusCode: 303 };
  }

  @Post(':id/delete')
  @OrgAccess(Permission.ServicesManage)
  @Redirect()
  async remove(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request) {
    const service = await this.services.remove(id);
    setFlash(request, 'success', `${service.name} was deleted.`);
    return { url: `/app/${this.context.organization.slug}/services`, statusCode: 303 };
  }

  private async profileFrom(sent: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const questions = questionGroupsOf(await this.codes.profileQuestions()).flatMap((group) => group.questions);
    return profileFromForm(questions, sent);
  }

  private canManage(): boolean {
    return roleAllows(this.context.organization.role as Role | undefined, Permission.ServicesManage);
  }
}
