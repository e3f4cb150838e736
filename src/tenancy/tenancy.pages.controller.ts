import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { OrgAccess, VERIFIED_EMAIL, SignedIn } from '../access/access.decorator';
import { Permission, roleAllows } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { AppConfig } from '../config/app-config.service';
import { FormView } from '../web/form-view.decorator';
import { setFlash } from '../web/page-locals.middleware';
import { ChangeRoleDto } from './dto/change-role.dto';
import { CreateInvitationDto } from './dto/create-invitation.dto';
import { NewOrganizationDto } from './dto/new-organization.dto';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { FoundingService } from './founding.service';
import { InvitationsService } from './invitations.service';
import { MembershipsService } from './memberships.service';
import { OrganizationsService } from './organizations.service';
import { Role, rolesFor } from '../access/roles';
import { invitationJson, organizationJson } from './tenancy.mapper';

@ApiExcludeController()
@Controller()
export class TenancyPagesController {
  constructor(
    private readonly context: TenantContext,
    private readonly organizations: OrganizationsService,
    private readonly founding: FoundingService,
    private readonly memberships: MembershipsService,
    private readonly invitations: InvitationsService,
    private readonly config: AppConfig,
  ) {}

  @Get('organizations/new')
  @SignedIn()
  @Render('tenancy/new-organization')
  newOrganization() {
    return { title: 'New organization', values: { kind: 'provider' } };
  }

  @Post('organizations')
  @SignedIn()
  @FormView('tenancy/new-organization')
  @Redirect()
  async createOrganization(@Body() dto: NewOrganizationDto, @Req() request: Request) {
    const organization = await this.founding.found(this.context.userId!, dto);
    setFlash(request, 'success', `${organization.name} is ready.`);
    return { url: `/app/${organization.slug}`, statusCode: 303 };
  }

  @Get('app/:org')
  @OrgAccess(Permission.OrganizationRead)
  @Render('tenancy/overview')
  async overview() {
    const organization = organizationJson(await this.organizations.current());
    const members = await this.memberships.list();
    return { title: organization.name, org: this.context.organization, organization, memberCount: members.length, can: this.abilities() };
  }

  @Get('app/:org/settings')
  @OrgAccess(Permission.OrganizationUpdate)
  @Render('tenancy/settings')
  async settings() {
    return { title: 'Organization settings', org: this.context.organization, values: organizationJson(await this.organizations.current()) };
  }

  @Post('app/:org/settings')
  @OrgAccess(Permission.OrganizationUpdate)
  @FormView('tenancy/settings')
  @Redirect()
  async updateSettings(@Body() dto: UpdateOrganizationDto, @Req() request: Request) {
    await this.organizations.update(dto);
    setFlash(request, 'success', 'The organization details were saved.');
    return { url: `/app/${this.context.organization.slug}/settings`, statusCode: 303 };
  }

  @Get('app/:org/members')
  @OrgAccess(Permission.MembersRead)
  @Render('tenancy/members')
  async members() {
    const can = this.abilities();
    return {
      title: 'Members',
      org: this.context.organization,
      members: await this.memberships.list(),
      invitations: can.manageMembers ? (await this.invitations.list()).map(invitationJson) : [],
      roles: rolesFor(this.context.organization.kind),
      can,
    };
  }

  @Post('app/:org/members/:membershipId/role')
  @OrgAccess(Permission.MembersManage)
  @Redirect()
  async changeRole(@Param('membershipId', ParseUUIDPipe) membershipId: string, @Body() dto: ChangeRoleDto, @Req() request: Request) {
    await this.memberships.changeRole(membershipId, dto.role, dto.version);
    setFlash(request, 'success', `The role was changed to ${dto.role}.`);
    return { url: `/app/${this.context.organization.slug}/members`, statusCode: 303 };
  }

  @Post('app/:org/members/:membershipId/remove')
  @OrgAccess(Permission.MembersManage)
  @Redirect()
  async removeMember(@Param('membershipId', ParseUUIDPipe) membershipId: string, @Req() request: Request) {
    await this.memberships.remove(membershipId);
    setFlash(request, 'success', 'The member was removed.');
    return { url: `/app/${this.context.organization.slug}/members`, statusCode: 303 };
  }

  @Get('app/:org/invitations/new')
  @OrgAccess(Permission.MembersManage)
  @Render('tenancy/invite')
  inviteForm() {
    const roles = rolesFor(this.context.organization.kind);
    return { title: 'Invite a colleague', org: this.context.organization, roles, values: { role: roles[roles.length - 1] } };
  }

  @Post('app/:org/invitations')
  @OrgAccess(Permission.MembersManage, VERIFIED_EMAIL)
  @FormView('tenancy/invite')
  @HttpCode(200)
  @Render('tenancy/invitation-created')
  async invite(@Body() dto: CreateInvitationDto) {
    const { invitation, token } = await this.invitations.create(dto.email, dto.role);
    // From configuration, never from the Host header, which the client controls.
    const link = `${this.config.publicUrl}/invitations/${token}`;
    return { title: 'Invitation created', org: this.context.organization, invitation: invitationJson(invitation), link };
  }

  @Post('app/:org/invitations/:invitationId/revoke')
  @OrgAccess(Permission.MembersManage)
  @Redirect()
  async revokeInvitation(@Param('invitationId', ParseUUIDPipe) invitationId: string, @Req() request: Request) {
    await this.invitations.revoke(invitationId);
    setFlash(request, 'success', 'The invitation was revoked.');
    return { url: `/app/${this.context.organization.slug}/members`, statusCode: 303 };
  }

  /** What the page offers; an API token reading a page has no role and is offered nothing to change. */
  private abilities() {
    const role = this.context.organization.role as Role | undefined;
    return {
      manageMembers: roleAllows(role, Permission.MembersManage),
      updateOrganization: roleAllows(role, Permission.OrganizationUpdate),
      manageTokens: roleAllows(role, Permission.TokensManage),
      readAudit: roleAllows(role, Permission.AuditRead),
    };
  }
}
