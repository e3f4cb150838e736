import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { TransactionHost } from '../database/transaction-host';
import { User } from './entities/user.entity';
import { hashPassword, verifyPassword } from './password-hasher';
import { TenancyErrorCode, TenancyException } from './tenancy.exception';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  isOperator?: boolean;
  /** The address is known to be the person's already (the operator's, from the installation's settings). */
  emailVerified?: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditService,
    @InjectRepository(User) private readonly directory: Repository<User>,
  ) {}

  /** Reads a user before any transaction exists (session restore); a suspended person is nobody. */
  findActive(id: string): Promise<User | null> {
    return this.directory.findOneBy({ id, suspendedAt: IsNull() });
  }

  /** The account of a signed-in person, in the request's transaction. */
  findById(id: string): Promise<User> {
    return this.tx.manager.getRepository(User).findOneByOrFail({ id });
  }

  /** People's names by id, e.g. to say who last changed something. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = (await this.tx.manager.query(`SELECT id, name FROM users WHERE id = ANY($1)`, [unique])) as Array<{ id: string; name: string }>;
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  findByEmail(email: string): Promise<User | null> {
    return this.tx.manager
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('lower(user.email) = lower(:email)', { email: email.trim() })
      .getOne();
  }

  async create(input: NewUser): Promise<User> {
    const email = input.email.trim();
    if (await this.findByEmail(email)) {
      throw new TenancyException(TenancyErrorCode.EmailTaken, 'An account with this email address already exists; sign in instead.', {
        email: ['An account with this email address already exists'],
      });
    }
    const repository = this.tx.manager.getRepository(User);
    const user = repository.create({
      email,
      name: input.name.trim(),
      passwordHash: await hashPassword(input.password),
      isOperator: input.isOperator ?? false,
      emailVerifiedAt: input.emailVerified ? new Date() : null,
      passwordChangedAt: new Date(),
    });
    return repository.save(user);
  }

  /** Records that the account's address was proven, if `email` is still its address; answers whether it is now verified. */
  async markEmailVerified(userId: string, email: string): Promise<boolean> {
    const rows = (await this.tx.manager.query(
      `UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1 AND lower(email) = lower($2) RETURNING id`,
      [userId, email.trim()],
    )) as [unknown[], number];
    return rows[0].length > 0;
  }

  /**
   * Gives the account a new address, proven already, unless another account has it: 409, as at sign-up.
   * The unique index on lower(email) stands behind the check when two changes race.
   */
  async changeEmail(userId: string, newEmail: string): Promise<{ oldEmail: string }> {
    await this.assertEmailAvailable(userId, newEmail);
    const [rows] = (await this.tx.manager.query(
      `UPDATE users u SET email = $2, email_verified_at = now() FROM users old WHERE u.id = $1 AND old.id = u.id RETURNING old.email AS "oldEmail"`,
      [userId, newEmail.trim()],
    )) as [Array<{ oldEmail: string }>, number];
    await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.email_changed', targetType: 'user', targetId: userId, data: { from: rows[0].oldEmail, to: newEmail.trim() } });
    return rows[0];
  }

  /** Refuses (409) an address that an account other than `userId` already has. */
  async assertEmailAvailable(userId: string, email: string): Promise<void> {
    const holder = await this.findByEmail(email);
    if (holder && holder.id !== userId) {
      throw new TenancyException(TenancyErrorCode.EmailTaken, `Another Adhere account uses ${email.trim()}; choose another address.`, {
        email: ['Another account uses this address'],
      });
    }
  }

  async anyExists(): Promise<boolean> {
    return (await this.tx.manager.getRepository(User).count({ take: 1 })) > 0;
  }

  async anyOperatorExists(): Promise<boolean> {
    return this.tx.manager.getRepository(User).existsBy({ isOperator: true });
  }

  /** Whether `password` is the person's current one (before an act that asks for it again). */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.tx.manager.getRepository(User).createQueryBuilder('user').addSelect('user.passwordHash').where('user.id = :userId', { userId }).getOne();
    return user !== null && (await verifyPassword(user.passwordHash, password));
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<boolean> {
    const repository = this.tx.manager.getRepository(User);
    const user = await repository.createQueryBuilder('user').addSelect('user.passwordHash').where('user.id = :userId', { userId }).getOneOrFail();
    if (!(await verifyPassword(user.passwordHash, currentPassword))) return false;
    await repository.update(user.id, { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() });
    await this.audit.record({ organizationId: null, action: 'account.password_changed', targetType: 'user', targetId: user.id });
    return true;
  }

  /** Sets a new password without the old one, which a reset link stands in for. */
  async resetPassword(userId: string, newPassword: string): Promise<void> {
    await this.tx.manager.getRepository(User).update(userId, { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() });
    await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.password_reset', targetType: 'user', targetId: userId });
  }

  async makeOperator(userId: string): Promise<void> {
    await this.tx.manager.getRepository(User).update(userId, { isOperator: true });
    await this.audit.record({ organizationId: null, action: 'account.operator_granted', targetType: 'user', targetId: userId });
  }
}
