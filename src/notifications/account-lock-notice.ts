import { Injectable } from '@nestjs/common';
import { AccountAlerts, SignInSlowed } from '../auth/account-alerts';
import { Notifications } from './notifications';

/** Tells a person, through the outbox, that repeated wrong passwords slowed sign-in to their account. */
@Injectable()
export class AccountLockNotice extends AccountAlerts {
  constructor(private readonly notifications: Notifications) {
    super();
  }

  async signInSlowed(notice: SignInSlowed): Promise<void> {
    const where = notice.fromNewNetworks
      ? 'from networks you have not signed in from lately. From a network where you have signed in before (at home, at work), you can still sign in as usual.'
      : 'from a network where you have signed in before. From other networks you can still sign in as usual.';
    await this.notifications.enqueue({
      event: 'account_locked',
      to: { userIds: [notice.userId] },
      subject: 'Repeated wrong passwords for your Adhere account',
      text: [
        `Someone entered a wrong password for your Adhere account ${notice.failures} times in a row, ${where}`,
        `Sign-in from there is paused until ${notice.until.toISOString().replace('T', ' ').slice(0, 16)} UTC, and each further wrong password doubles the pause.`,
        'If this was you, wait for the pause to end, or sign in from a network you have used before. If it was not you, nobody got in: your password held. Choose a longer, unique password on your account page once you are signed in.',
      ].join('\n\n'),
      link: '/account',
      key: `account-locked:${notice.userId}:${notice.until.toISOString()}`,
    });
  }
}
