import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { UsersService } from '../tenancy/users.service';
import { AuthErrorCode, AuthException } from './auth.exception';
import { EmailVerificationService, VERIFICATION_LINK_HOURS } from './email-verification.service';

export const changeRequested = (email: string) =>
  `A link to confirm ${email} is on its way to it. Your account keeps its current address until the link is opened, within ${VERIFICATION_LINK_HOURS} hours.`;

/** Changing one's address: the password, an address nobody else has, and then the new address's own proof. */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly verifications: EmailVerificationService,
    private readonly audit: AuditService,
  ) {}

  async request(userId: string, newEmail: string, password: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!(await this.users.checkPassword(userId, password))) {
      throw new AuthException(AuthErrorCode.WrongPassword, 'The password is wrong.', { password: ['The password is wrong'] });
    }
    if (user.email.toLowerCase() === newEmail.trim().toLowerCase()) {
      throw new AuthException(AuthErrorCode.EmailUnchanged, `${user.email} is your address already.`, { email: ['This is your address already'] });
    }
    await this.users.assertEmailAvailable(userId, newEmail);
    await this.verifications.send(userId, newEmail, true);
    await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.email_change_requested', targetType: 'user', targetId: userId, data: { to: newEmail.trim() } });
  }
}
