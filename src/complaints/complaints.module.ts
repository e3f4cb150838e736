import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegisterModule } from '../register/register.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { VerificationModule } from '../verification/verification.module';
import { ComplaintFiling } from './complaint-filing';
import { ComplaintFollowing } from './complaint-following';
import { ComplaintLifecycle } from './complaint-lifecycle';
import { ComplaintFormModel } from './complaint-form.page';
import { ComplaintHandling } from './complaint-handling';
import { ComplaintHandlingController } from './complaint-handling.controller';
import { ComplaintHandlingPagesController } from './complaint-handling.pages.controller';
import { ComplaintListPageModel, ComplaintPageModel } from './complaint.page';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsPagesController } from './complaints.pages.controller';
import { Complaint } from './entities/complaint.entity';
import { PublicComplaints } from './public-complaints';

/**
 * Complaints about register entries: filed and followed by anyone, handled by the entry's monitoring
 * body. The register's pages show what the public may know of them through PublicComplaints.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Complaint]), AuditModule, NotificationsModule, RegisterModule, TenancyModule, VerificationModule],
  controllers: [ComplaintsController, ComplaintHandlingController, ComplaintsPagesController, ComplaintHandlingPagesController],
  providers: [ComplaintFiling, ComplaintFollowing, ComplaintHandling, ComplaintLifecycle, PublicComplaints, ComplaintFormModel, ComplaintPageModel, ComplaintListPageModel],
  exports: [PublicComplaints],
})
export class ComplaintsModule {}
