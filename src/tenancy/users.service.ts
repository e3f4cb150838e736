import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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
}

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditService,
    @InjectRepository(User) private readonly directory: Repository<User>,
  ) {}

  /** Reads a user before any transaction exists (session restore). */
  findActive(id: string): Promise<User | null> {
    return this.directory.findOneBy({ id });
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
      passwordChangedAt: new Date(),
    });
    return repository.save(user);
  }

  async anyExists(): Promise<boolean> {
    return (await this.tx.manager.getRepository(User).count({ take: 1 })) > 0;
  }

  async anyOperatorExists(): Promise<boolean> {
    return this.tx.manager.getRepository(User).existsBy({ isOperator: true });
  }

  /**
   * Checks a password; a correct one clears the failure count, a wrong one adds to it and may lock the
   * account, in which case the answer says until when.
   */
  async checkPassword(user: User, password: string, lock: { maxFailures: number; minutes: number }): Promise<{ ok: true } | { ok: false; lockedUntil?: Date }> {
    const manager = this.tx.manager;
    if (await verifyPassword(user.passwordHash, password)) {
      if (user.failedSignIns > 0 || user.lockedUntil) await manager.getRepository(User).update(user.id, { failedSignIns: 0, lockedUntil: null });
      return { ok: true };
    }
    // One statement, so that simultaneous wrong guesses all count.
    const [rows] = await manager.query(
      `UPDATE users
          SET failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,
              locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
        WHERE id = $1
        RETURNING locked_until, failed_sign_ins = 0 AS locked_now`,
      [user.id, lock.maxFailures, lock.minutes],
    );
    const [result] = rows as Array<{ locked_until: Date | null; locked_now: boolean }>;
    if (!result?.locked_now) return { ok: false };
    const lockedUntil = new Date(result.locked_until!);
    await this.audit.record({
      organizationId: null,
      actorUserId: null,
      action: 'account.locked',
      targetType: 'user',
      targetId: user.id,
      data: { until: lockedUntil.toISOString() },
    });
    return { ok: false, lockedUntil };
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<boolean> {
    const repository = this.tx.manager.getRepository(User);
    const user = await repository.createQueryBuilder('user').addSelect('user.passwordHash').where('user.id = :userId', { userId }).getOneOrFail();
    if (!(await verifyPassword(user.passwordHash, currentPassword))) return false;
    await repository.update(user.id, { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() });
    await this.audit.record({ organizationId: null, action: 'account.password_changed', targetType: 'user', targetId: user.id });
    return true;
  }

  async makeOperator(userId: string): Promise<void> {
    await this.tx.manager.getRepository(User).update(userId, { isOperator: true });
    await this.audit.record({ organizationId: null, action: 'account.operator_granted', targetType: 'user', targetId: userId });
  }
}
