import { Module } from '@nestjs/common';
import { Notifications } from './notifications';

/** Tells people what happened: an outbox written in the caller's transaction, delivered by e-mail. */
@Module({
  providers: [Notifications],
  exports: [Notifications],
})
export class NotificationsModule {}
