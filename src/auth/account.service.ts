import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';
import { UsersService } from '../tenancy/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';

@Injectable()
export class AccountService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly users: UsersService,
  ) {}

  /** Changes the password and ends the person's other sessions, which may belong to whoever knew the old one. */
  async changePassword(userId: string, currentPassword: string, newPassword: string, keepSessionId: string): Promise<void> {
    if (!(await this.users.changePassword(userId, currentPassword, newPassword))) {
      throw new AuthException(AuthErrorCode.WrongPassword, 'The current password is wrong.', { currentPassword: ['The current password is wrong'] });
    }
    await this.tx.manager.query(`DELETE FROM sessions WHERE sid <> $1 AND sess -> 'passport' ->> 'user' = $2`, [keepSessionId, userId]);
  }
}
