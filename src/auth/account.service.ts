import { Injectable } from '@nestjs/common';
import { UsersService } from '../tenancy/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { UserSessions } from './user-sessions';

@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: UserSessions,
  ) {}

  /** Changes the password and ends the person's other sessions, which may belong to whoever knew the old one. */
  async changePassword(userId: string, currentPassword: string, newPassword: string, keepSessionId: string): Promise<void> {
    if (!(await this.users.changePassword(userId, currentPassword, newPassword))) {
      throw new AuthException(AuthErrorCode.WrongPassword, 'The current password is wrong.', { currentPassword: ['The current password is wrong'] });
    }
    await this.sessions.endAll(userId, keepSessionId);
  }
}
