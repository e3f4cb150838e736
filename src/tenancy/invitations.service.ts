import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { newSecretToken, hashSecretToken } from '../common/secret-token';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Invitation } from './entities/invitation.entity';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { MembershipsService } from './memberships.service';
import { Role } from '../access/roles';
import { assertRoleOf } from './role-check';
import { TenancyErrorCode, TenancyException } from './tenancy.exception';
import { UsersService } from './users.service';

export const INVITATION_LIFETIME_DAYS = 7;

export interface InvitationPreview {
  organization: { name: string; slug: string; kind: Organization['kind'] };
  email: string;
  role: Role;
  expiresAt: Date;
  hasAccount: boolean;
}

export interface NewAccount {
  name: string;
  password: string;
}

@Injectable()
export class InvitationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly memberships: MembershipsService,
    private readonly users: UsersService,
  ) {}

  async create(email: string, role: Role): Promise<{ invitation: Invitation; token: string }> {
    const organization = this.context.organization;
    assertRoleOf(organization.kind, role);
    const { token, hash } = newSecretToken('inv_');
    const repository = this.tx.manager.getRepository(Invitation);
    const invitation = await repository.save(
      repository.create({
        organizationId: organization.id,
        email: email.trim(),
        role,
        tokenHash: hash,
        invitedBy: this.context.userId ?? null,
        expiresAt: new Date(Date.now() + INVITATION_LIFETIME_DAYS * 86_400_000),
      }),
    );
    await this.audit.record({ action: 'invitation.created', targetType: 'invitation', targetId: invitation.id, data: { email: invitation.email, role } });
    return { invitation, token };
  }

  list(): Promise<Invitation[]> {
    return this.tx.manager.getRepository(Invitation).find({
      where: { organizationId: this.context.organizationId },
      order: { createdAt: 'DESC' },
    });
  }

  /**
   * Revokes an invitation unless it has been accepted, in one conditional statement: an acceptance
   * writing at the same moment either has committed (and this refuses) or will find it revoked.
   */
  async revoke(invitationId: string): Promise<void> {
    const organizationId = this.context.organizationId;
    const [revoked] = (await this.tx.manager.query(
      `UPDATE invitations SET revoked_at = now() WHERE id = $1 AND organization_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [invitationId, organizationId],
    )) as [unknown[], number];
    if (revoked.length > 0) {
      await this.audit.record({ action: 'invitation.revoked', targetType: 'invitation', targetId: invitationId });
      return;
    }
    const invitation = await this.tx.manager.getRepository(Invitation).findOneBy({ id: invitationId, organizationId });
    if (!invitation) throw new TenancyException(TenancyErrorCode.InvitationNotFound, 'No such invitation in this organization.');
    if (invitation.acceptedAt) throw new TenancyException(TenancyErrorCode.InvitationUsed, 'This invitation has already been accepted.');
    // Revoked already: nothing more to do.
  }

  async preview(token: string): Promise<InvitationPreview> {
    const { invitation, organization } = await this.usable(token);
    return {
      organization: { name: organization.name, slug: organization.slug, kind: organization.kind },
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      hasAccount: (await this.users.findByEmail(invitation.email)) !== null,
    };
  }

  /**
   * Accepts an invitation as the signed-in user, or creates the invited person's account, in a
   * transaction of its own. Returns the user who became a member, so that the route can sign them in
   * once it is committed.
   */
  accept(token: string, signedInUserId: string | undefined, newAccount: NewAccount | undefined): Promise<{ user: User; organization: Organization }> {
    return this.tx.runScoped({ userId: signedInUserId }, async () => {
      const { invitation, organization } = await this.usable(token, true);
      const user = signedInUserId ? await this.invitedSignedInUser(invitation, signedInUserId) : await this.newInvitedUser(invitation, newAccount);
      await this.tx.changeScope({ organizationId: organization.id, userId: user.id });
      this.context.setOrganization({ id: organization.id, slug: organization.slug, name: organization.name, kind: organization.kind });
      await this.memberships.add(organization, user.id, invitation.role);
      // The link reached the invited address (the account's, as both ways in require): that proves it.
      await this.users.markEmailVerified(user.id, invitation.email);
      // The use itself, in one conditional statement: a revocation that came while the account was made
      // (hashing a password takes a while) wins, and nothing of this acceptance is kept.
      const [accepted] = (await this.tx.manager.query(
        `UPDATE invitations SET accepted_at = now(), accepted_by = $2
          WHERE id = $1 AND organization_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
        [invitation.id, user.id, organization.id],
      )) as [unknown[], number];
      if (accepted.length === 0) {
        await this.usable(token);
        throw new TenancyException(TenancyErrorCode.InvitationNotFound, 'This invitation link is not valid.');
      }
      await this.audit.record({ actorUserId: user.id, action: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id });
      return { user, organization };
    });
  }

  private async invitedSignedInUser(invitation: Invitation, userId: string): Promise<User> {
    const user = await this.tx.manager.getRepository(User).findOneByOrFail({ id: userId });
    if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
      throw new TenancyException(
        TenancyErrorCode.InvitationForAnotherEmail,
        `This invitation was sent to ${invitation.email}; sign in with that address to accept it.`,
      );
    }
    return user;
  }

  private async newInvitedUser(invitation: Invitation, account: NewAccount | undefined): Promise<User> {
    if (await this.users.findByEmail(invitation.email)) {
      throw new TenancyException(TenancyErrorCode.AccountExists, `An account for ${invitation.email} exists; sign in to accept the invitation.`);
    }
    if (!account?.name || !account.password) {
      throw new TenancyException(TenancyErrorCode.NewAccountDetailsMissing, 'To create your account, give your name and a password.', {
        ...(account?.name ? {} : { name: ['name is required to create an account'] }),
        ...(account?.password ? {} : { password: ['password is required to create an account'] }),
      });
    }
    return this.users.create({ email: invitation.email, name: account.name, password: account.password });
  }

  /** The invitation behind a token, if it can still be accepted; `lock` holds it until the transaction ends. */
  private async usable(token: string, lock = false): Promise<{ invitation: Invitation; organization: Organization }> {
    const manager = this.tx.manager;
    const hash = hashSecretToken(token);
    // Taken before reading, so that of two simultaneous acceptances the second sees the first's result.
    if (lock) await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('invitation:' || $1, 0))`, [hash]);
    const [row] = (await manager.query(
      `SELECT id, organization_id, email, role, expires_at, accepted_at, revoked_at FROM invitation_by_token_hash($1)`,
      [hash],
    )) as Array<{ id: string; organization_id: string; email: string; role: Role; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null }>;
    if (!row || row.revoked_at) throw new TenancyException(TenancyErrorCode.InvitationNotFound, 'This invitation link is not valid.');
    if (row.accepted_at) throw new TenancyException(TenancyErrorCode.InvitationUsed, 'This invitation has already been accepted.');
    if (new Date(row.expires_at).getTime() <= Date.now()) {
      throw new TenancyException(TenancyErrorCode.InvitationExpired, 'This invitation has expired; ask for a new one.');
    }
    const organization = await manager.getRepository(Organization).findOneByOrFail({ id: row.organization_id });
    const invitation = Object.assign(new Invitation(), {
      id: row.id,
      organizationId: row.organization_id,
      email: row.email,
      role: row.role,
      expiresAt: new Date(row.expires_at),
      acceptedAt: row.accepted_at,
      revokedAt: row.revoked_at,
    });
    return { invitation, organization };
  }
}
