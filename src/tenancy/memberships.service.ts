import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Membership } from './entities/membership.entity';
import { Organization } from './entities/organization.entity';
import { FOUNDING_ROLE, Role } from '../access/roles';
import { assertRoleOf } from './role-check';
import { TenancyErrorCode, TenancyException } from './tenancy.exception';

export interface MembershipSummary {
  organization: { id: string; slug: string; name: string; kind: Organization['kind'] };
  role: Role;
  /** The operator suspended the organization: its routes refuse its members. */
  organizationSuspended: boolean;
  /** The organization's demands on its members' sign-in (see Organization). */
  security: { requireMfa: boolean; requireStepUp: boolean };
}

export interface MemberView {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  version: number;
  since: Date;
}

@Injectable()
export class MembershipsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    @InjectRepository(Membership) private readonly directory: Repository<Membership>,
  ) {}

  /** Every organization a user belongs to, for the organization switcher and the session API. */
  async summariesFor(userId: string): Promise<MembershipSummary[]> {
    const memberships = await this.directory.find({ where: { userId }, relations: { organization: true }, order: { createdAt: 'ASC' } });
    return memberships.map(({ organization, role }) => ({
      organization: { id: organization!.id, slug: organization!.slug, name: organization!.name, kind: organization!.kind },
      role,
      organizationSuspended: organization!.suspendedAt !== null,
      security: { requireMfa: organization!.requireMfa, requireStepUp: organization!.requireStepUp },
    }));
  }

  /**
   * The role a user holds in an organization, held for the rest of the transaction (FOR KEY SHARE):
   * removing the membership or changing its role waits until the transaction ends. Null if there is none.
   */
  async holdRole(organizationId: string, userId: string): Promise<Role | null> {
    const [row] = (await this.tx.manager.query(`SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2 FOR KEY SHARE`, [organizationId, userId])) as Array<{ role: Role }>;
    return row?.role ?? null;
  }

  async addFounder(organization: Organization, userId: string): Promise<Membership> {
    return this.add(organization, userId, FOUNDING_ROLE[organization.kind]);
  }

  async add(organization: Pick<Organization, 'id' | 'kind'>, userId: string, role: Role): Promise<Membership> {
    assertRoleOf(organization.kind, role);
    const repository = this.tx.manager.getRepository(Membership);
    if (await repository.existsBy({ organizationId: organization.id, userId })) {
      throw new TenancyException(TenancyErrorCode.AlreadyMember, 'This person is already a member of the organization.');
    }
    const membership = await repository.save(repository.create({ organizationId: organization.id, userId, role }));
    await this.audit.record({ organizationId: organization.id, action: 'membership.created', targetType: 'membership', targetId: membership.id, data: { userId, role } });
    return membership;
  }

  async list(): Promise<MemberView[]> {
    const memberships = await this.tx.manager.getRepository(Membership).find({
      where: { organizationId: this.context.organizationId },
      relations: { user: true },
      order: { createdAt: 'ASC' },
    });
    return memberships.map((membership) => ({
      id: membership.id,
      userId: membership.userId,
      name: membership.user!.name,
      email: membership.user!.email,
      role: membership.role,
      version: membership.version,
      since: membership.createdAt,
    }));
  }

  async changeRole(membershipId: string, role: Role, version: number): Promise<Membership> {
    const organization = this.context.organization;
    assertRoleOf(organization.kind, role);
    const membership = await this.find(membershipId);
    const previous = membership.role;
    if (previous === FOUNDING_ROLE[organization.kind] && role !== previous) await this.keepOneAdministrator(membership);
    // Like a removal, a change of role waits for the member's requests in flight (they hold the row).
    await this.tx.manager.query(`SELECT 1 FROM memberships WHERE id = $1 FOR UPDATE`, [membership.id]);
    // Only from the version the change was based on: simultaneous changes cannot both apply.
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(Membership)
      .set({ role, version: () => 'version + 1' })
      .where('id = :id AND organization_id = :organizationId AND version = :version', { id: membership.id, organizationId: organization.id, version })
      .execute();
    const current = await this.find(membershipId);
    if (!result.affected) {
      throw new TenancyException(
        TenancyErrorCode.StaleVersion,
        `This membership was changed by someone else (it is now at version ${current.version} with the role ${current.role}); reload and try again.`,
        { currentVersion: current.version },
      );
    }
    await this.audit.record({ action: 'membership.role_changed', targetType: 'membership', targetId: membership.id, data: { from: previous, to: role } });
    return current;
  }

  async remove(membershipId: string): Promise<void> {
    const organization = this.context.organization;
    const membership = await this.find(membershipId);
    if (membership.role === FOUNDING_ROLE[organization.kind]) await this.keepOneAdministrator(membership);
    await this.tx.manager.getRepository(Membership).delete({ id: membership.id, organizationId: organization.id });
    await this.audit.record({ action: 'membership.removed', targetType: 'membership', targetId: membership.id, data: { userId: membership.userId } });
  }

  private async find(membershipId: string): Promise<Membership> {
    const membership = await this.tx.manager
      .getRepository(Membership)
      .findOneBy({ id: membershipId, organizationId: this.context.organizationId });
    if (!membership) throw new TenancyException(TenancyErrorCode.MembershipNotFound, 'No such member in this organization.');
    return membership;
  }

  private async keepOneAdministrator(membership: Membership): Promise<void> {
    const role = FOUNDING_ROLE[this.context.organization.kind];
    // Lock the organization's administrators so two simultaneous demotions cannot both pass this check;
    // in id order, so that two such checks wait for each other rather than deadlock.
    const administrators = await this.tx.manager
      .getRepository(Membership)
      .createQueryBuilder('membership')
      .setLock('pessimistic_write')
      .where('membership.organizationId = :organizationId AND membership.role = :role', { organizationId: membership.organizationId, role })
      .orderBy('membership.id')
      .getMany();
    if (administrators.filter((candidate) => candidate.id !== membership.id).length === 0) {
      throw new TenancyException(TenancyErrorCode.LastAdministrator, `An organization needs at least one ${role}; appoint another ${role} first.`);
    }
  }
}
