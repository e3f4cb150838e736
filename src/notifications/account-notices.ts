import { Injectable } from '@nestjs/common';
import { AccountAlerts, EmailChanged, EmailVerificationRequested, PasskeyChanged, PasswordResetRequested, RecoveryCodeUsed, SecondFactorChanged, SignInSlowed } from '../auth/account-alerts';
import { Notifications } from './notifications';

/** UTC to the minute, as people read it in a mail. */
const minute = (at: Date) => `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
const FACTOR_NAMES = { totp: 'An authenticator app', passkey: 'A passkey' } as const;

/** Tells a person, through the outbox, what happened to their own account. */
@Injectable()
export class AccountNotices extends AccountAlerts {
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
        `Sign-in from there is paused until ${minute(notice.until)}, and each further wrong password doubles the pause.`,
        'If this was you, wait for the pause to end, or sign in from a network you have used before. If it was not you, nobody got in: your password held. Choose a longer, unique password on your account page once you are signed in.',
      ].join('\n\n'),
      link: '/account',
      key: `account-locked:${notice.userId}:${notice.until.toISOString()}`,
    });
  }

  async passwordResetRequested(notice: PasswordResetRequested): Promise<void> {
    await this.notifications.enqueue({
      event: 'password_reset',
      to: { userIds: [notice.userId] },
      subject: 'Choose a new password for your Adhere account',
      text: [
        'Someone asked to reset the password of your Adhere account. To choose a new one, open the link below.',
        `The link works once, within ${notice.minutes} minutes. If you did not ask for it, ignore this e-mail: your password stays as it is.`,
      ].join('\n\n'),
      link: `/reset-password/${notice.token}`,
      key: `password-reset:${notice.resetId}`,
    });
  }

  async passwordReset(notice: { userId: string; at: Date }): Promise<void> {
    await this.notifications.enqueue({
      event: 'password_changed',
      to: { userIds: [notice.userId] },
      subject: 'Your Adhere password was changed',
      text: [
        `The password of your Adhere account was changed through a reset link at ${minute(notice.at)}, and every session signed in to the account was ended.`,
        'If this was you, nothing more is needed. If it was not, ask for a new reset link at once from the page below, and tell the owner of your organization.',
      ].join('\n\n'),
      link: '/forgot-password',
      key: `password-changed:${notice.userId}:${notice.at.toISOString()}`,
    });
  }

  async accountSuspended(notice: { userId: string; reason: string; at: Date }): Promise<void> {
    await this.notifications.enqueue({
      event: 'account_suspended',
      to: { userIds: [notice.userId] },
      subject: 'Your Adhere account is suspended',
      text: [
        `The operator of this Adhere service suspended your account at ${minute(notice.at)}, for this reason:`,
        notice.reason,
        'Until it is reactivated you cannot sign in, your sessions have ended and the API tokens you created do not work. Your organizations and their register entries are unchanged. To ask about it, answer the operator through your organization, or reply to this e-mail if your service allows it.',
      ].join('\n\n'),
      link: '/',
      key: `account-suspended:${notice.userId}:${notice.at.toISOString()}`,
    });
  }

  async accountReactivated(notice: { userId: string; at: Date }): Promise<void> {
    await this.notifications.enqueue({
      event: 'account_reactivated',
      to: { userIds: [notice.userId] },
      subject: 'Your Adhere account works again',
      text: [
        `The operator of this Adhere service reactivated your account at ${minute(notice.at)}. You can sign in again, and the API tokens you created work again.`,
      ].join('\n\n'),
      link: '/signin',
      key: `account-reactivated:${notice.userId}:${notice.at.toISOString()}`,
    });
  }

  async passkeyChanged(notice: PasskeyChanged): Promise<void> {
    const added = notice.change === 'added';
    await this.notifications.enqueue({
      event: added ? 'passkey_added' : 'passkey_removed',
      to: { userIds: [notice.userId] },
      subject: added ? 'A passkey was added to your Adhere account' : 'A passkey was removed from your Adhere account',
      text: [
        added
          ? `A passkey named “${notice.name}” was added to your Adhere account at ${minute(notice.at)}. It can sign in to your account without a password.`
          : `The passkey named “${notice.name}” was removed from your Adhere account at ${minute(notice.at)}. It can no longer sign in to your account.`,
        'If this was you, nothing more is needed. If it was not, someone knows your password: change it at once and check the passkeys on your account page.',
      ].join('\n\n'),
      link: '/account',
      key: `passkey-${notice.change}:${notice.passkeyId}`,
    });
  }

  async secondFactorChanged(notice: SecondFactorChanged): Promise<void> {
    const added = notice.change === 'added';
    await this.notifications.enqueue({
      event: added ? 'second_factor_added' : 'second_factor_removed',
      to: { userIds: [notice.userId] },
      subject: added ? 'A second factor was added to your Adhere account' : 'A second factor was removed from your Adhere account',
      text: [
        `${FACTOR_NAMES[notice.method]} was ${added ? 'added to' : 'removed from'} your Adhere account at ${minute(notice.at)}.`,
        'If this was you, nothing more is needed. If it was not, someone knows your password: reset it at once from the sign-in page, check the second factors on your account page (below), and tell the owner of your organization.',
      ].join('\n\n'),
      link: '/account',
      key: `second-factor-${notice.change}:${notice.userId}:${notice.method}:${notice.at.toISOString()}`,
    });
  }

  async recoveryCodeUsed(notice: RecoveryCodeUsed): Promise<void> {
    await this.notifications.enqueue({
      event: 'recovery_code_used',
      to: { userIds: [notice.userId] },
      subject: 'A recovery code of your Adhere account was used',
      text: [
        `One of the recovery codes of your Adhere account was used at ${minute(notice.at)} in place of your authenticator. It cannot be used again; ${notice.left} ${notice.left === 1 ? 'is' : 'are'} left.`,
        'If this was you and your authenticator is lost, set up a new one and new recovery codes on your account page (below). If it was not you, someone has your password and a recovery code: reset your password at once and tell the owner of your organization.',
      ].join('\n\n'),
      link: '/account',
      key: `recovery-code-used:${notice.userId}:${notice.at.toISOString()}`,
    });
  }

  async emailVerificationRequested(notice: EmailVerificationRequested): Promise<void> {
    const why = notice.change
      ? `Someone asked to use ${notice.email} as the address of their Adhere account. The account keeps its old address until this one is confirmed with the link below.`
      : `An Adhere account was created with ${notice.email}. To confirm that this address is yours, open the link below and press the button on the page.`;
    await this.notifications.enqueue({
      event: 'email_verification',
      // To the address being proven, whatever the account's address is meanwhile.
      to: { emails: [notice.email] },
      subject: 'Confirm your e-mail address for Adhere',
      text: [
        why,
        `The link works once, within ${notice.hours} hours. If you did not ask for it, ignore this e-mail: nothing changes without it.`,
      ].join('\n\n'),
      link: `/verify-email/${notice.token}`,
      key: `email-verification:${notice.verificationId}`,
    });
  }

  async emailChanged(notice: EmailChanged): Promise<void> {
    await this.notifications.enqueue({
      event: 'email_changed',
      to: { emails: [notice.oldEmail] },
      subject: 'Your Adhere account uses a new e-mail address',
      text: [
        `At ${minute(notice.at)}, the address of your Adhere account was changed from ${notice.oldEmail} to ${notice.newEmail}, which was confirmed with a link mailed to it. Mail about the account now goes there.`,
        'If this was you, nothing more is needed. If it was not, someone who knows your password changed it: ask for a password reset link from the page below at once, and tell the owner of your organization.',
      ].join('\n\n'),
      link: '/forgot-password',
      key: `email-changed:${notice.userId}:${notice.at.toISOString()}`,
    });
  }
}
