import { Module } from '@nestjs/common';
import { mailTransportProvider } from './mail-transport.provider';
import { NotificationDelivery } from './notification-delivery';
import { NotificationLog } from './notification-log';
import { NotificationPoller } from './notification-poller';
import { Notifications } from './notifications';
import { OperatorNotificationsPagesController } from './operator-notifications.pages.controller';

/**
 * Tells people what happened: an outbox written in the caller's transaction, delivered by e-mail (or
 * to the log) outside requests. Needs AppConfig, the database and the scheduler, all global.
 */
@Module({
  controllers: [OperatorNotificationsPagesController],
  providers: [Notifications, NotificationDelivery, NotificationPoller, NotificationLog, mailTransportProvider],
  exports: [Notifications, NotificationDelivery],
})
export class NotificationsModule {}
