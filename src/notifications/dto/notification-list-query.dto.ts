import { IsIn, IsOptional } from 'class-validator';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../notification-status';

export class NotificationListQueryDto {
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;
}
