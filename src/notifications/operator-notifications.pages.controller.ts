import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Operator } from '../access/access.decorator';
import { WithoutTransaction } from '../database/without-transaction.decorator';
import { NotificationListQueryDto } from './dto/notification-list-query.dto';
import { NOTIFICATION_LOG_SIZE, NotificationLog } from './notification-log';
import { NOTIFICATION_STATUSES } from './notification-status';

/** The operator's page of what the platform told people, or would have, and what it could not. */
@ApiExcludeController()
@Controller('operator/notifications')
export class OperatorNotificationsPagesController {
  constructor(private readonly log: NotificationLog) {}

  // No request transaction: the page reads the outbox as the owner (see NotificationLog), which a
  // transaction as the application role could not, and the guard's operator rule is what admits it.
  @Get()
  @Operator()
  @WithoutTransaction()
  @Render('notifications/list')
  async list(@Query() query: NotificationListQueryDto) {
    const statuses = NOTIFICATION_STATUSES.map((status) => ({ status, current: status === query.status }));
    return { title: 'Notifications', status: query.status, statuses, size: NOTIFICATION_LOG_SIZE, notifications: await this.log.newest(query.status) };
  }
}
