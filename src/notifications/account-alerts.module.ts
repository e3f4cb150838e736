import { Global, Module } from '@nestjs/common';
import { AccountAlerts } from '../auth/account-alerts';
import { AccountNotices } from './account-notices';
import { NotificationsModule } from './notifications.module';

/**
 * Lends the account notices to sign-in, which comes before notifications in the layers: global, so
 * that the auth module need not import this one.
 */
@Global()
@Module({
  imports: [NotificationsModule],
  providers: [{ provide: AccountAlerts, useClass: AccountNotices }],
  exports: [AccountAlerts],
})
export class AccountAlertsModule {}
