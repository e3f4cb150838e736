import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrgAccess, VERIFIED_EMAIL, SignedIn } from '../access/access.decorator';
import { Permission } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { ChangeRoleDto } from './dto/change-role.dto';
import { CreateInvitationDto } from './dto/create-invitation.dto';
import { NewOrganizationDto } from './dto/new-organization.dto';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { FoundingService } from './founding.service';
import { InvitationsService } from './invitations.service';
import { MembershipsService } from './memberships.service';
import { OrganizationsService } from './organizations.service';
import { invitationJson, organizationJson } from './tenancy.mapper';

@ApiTags('organizations')
@Controller('api/v1/orgs')
export class OrganizationsController {
  constructor(
    private readonly context: TenantContext,
    private readonly organizations: OrganizationsService,
    private readonly founding: FoundingService,
    private readonly memberships: MembershipsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Post()
  @SignedIn()
  async create(@Body() dto: NewOrganizationDto) {
    return organizationJson(await this.founding.found(this.context.userId!, dto));
  }

  @Get(':org')
  @OrgAccess(Permission.OrganizationRead)
  async get() {
    return { ...organizationJson(await this.organizations.current()), role: this.context.organization.role ?? null };
  }

  @Patch(':org')
  @OrgAccess(Permission.OrganizationUpdate)
  async update(@Body() dto: UpdateOrganizationDto) {
    return organizationJson(await this.organizations.update(dto));
  }

  @Get(':org/members')
  @OrgAccess(Permission.MembersRead)
  members() {
    return this.memberships.list();
  }

  @Patch(':org/members/:membershipId')
  @OrgAccess(Permission.MembersManage)
  async changeRole(@Param('membershipId', ParseUUIDPipe) membershipId: string, @Body() dto: ChangeRoleDto) {
    const membership = await this.memberships.changeRole(membershipId, dto.role, dto.version);
    return { id: membership.id, role: membership.role, version: membership.version };
  }

  @Delete(':org/members/:membershipId')
  @HttpCode(204)
  @OrgAccess(Permission.MembersManage)
  async removeMember(@Param('membershipId', ParseUUIDPipe) membershipId: string) {
    await this.memberships.remove(membershipId);
  }

  @Get(':org/invitations')
  @OrgAccess(Permission.MembersManage)
  async listInvitations() {
    return (await this.invitations.list()).map(invitationJson);
  }

  @Post(':org/invitations')
  @OrgAccess(Permission.MembersManage, VERIFIED_EMAIL)
  async invite(@Body() dto: CreateInvitationDto) {
    const { invitation, token } = await this.invitations.create(dto.email, dto.role);
    return { ...invitationJson(invitation), token };
  }

  @Delete(':org/invitations/:invitationId')
  @HttpCode(204)
  @OrgAccess(Permission.MembersManage)
  async revokeInvitation(@Param('invitationId', ParseUUIDPipe) invitationId: string) {
    await this.invitations.revoke(invitationId);
  }
}
