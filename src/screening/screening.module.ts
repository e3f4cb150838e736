import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { HashListRefreshJob } from './hash-list-refresh.job';
import { hashListUpload } from './hash-list-upload.middleware';
import { HashLists } from './hash-lists';
import { OperatorScreeningController } from './operator-screening.controller';
import { OperatorScreeningPagesController } from './operator-screening.pages.controller';
import { ScreeningPageModel } from './screening.page';
import { UploadIncidents } from './upload-incidents';

/** Known-hash screening: the operator's hash lists, the incidents of uploads that matched, and the pause they put on uploads. */
@Module({
  imports: [AuditModule, NotificationsModule],
  controllers: [OperatorScreeningController, OperatorScreeningPagesController],
  providers: [HashLists, UploadIncidents, HashListRefreshJob, ScreeningPageModel],
  exports: [HashLists, UploadIncidents],
})
export class ScreeningModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(hashListUpload)
      .forRoutes({ path: 'api/v1/operator/hash-lists', method: RequestMethod.POST }, { path: 'operator/screening/hash-lists', method: RequestMethod.POST });
  }
}
