import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config.service';
import { NotificationDelivery } from './notification-delivery';

/** The poll's name in the SchedulerRegistry. */
export const NOTIFICATION_POLL = 'notification-delivery';

/**
 * Delivers due notifications every NOTIFICATION_POLL_SECONDS (0: never; something else then calls
 * NotificationDelivery.deliverDue). Every instance polls: the claims keep them from sending anything twice.
 */
@Injectable()
export class NotificationPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly delivery: NotificationDelivery,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.notificationPollSeconds;
    if (seconds === 0) return;
    this.scheduler.addInterval(NOTIFICATION_POLL, setInterval(() => this.poll(), seconds * 1000));
  }

  /** Stops polling and lets a run in progress finish, before the database connections close. */
  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', NOTIFICATION_POLL)) this.scheduler.deleteInterval(NOTIFICATION_POLL);
    await this.running;
  }

  /** One run at a time in this instance: a tick that finds the last run still going lets it be. */
  private poll(): void {
    if (this.running) return;
    this.running = this.delivery
      .deliverDue()
      .then((run) => {
        if (run.notifications > 0) this.logger.log({ msg: 'Delivered notifications', ...run });
      })
      .catch((error: Error) => this.logger.error(`Delivering notifications failed: ${error.message}`, error.stack))
      .finally(() => (this.running = undefined));
  }
}
