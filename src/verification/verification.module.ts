import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '../assessments/assessments.module';
import { AuditModule } from '../audit/audit.module';
import { CodesModule } from '../codes/codes.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RegisterModule } from '../register/register.module';
import { ProviderServicesModule } from '../provider-services/provider-services.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { Decisions } from './decisions';
import { Decision } from './entities/decision.entity';
import { FindingNote } from './entities/finding-note.entity';
import { Finding } from './entities/finding.entity';
import { ReviewDeclaration } from './entities/review-declaration.entity';
import { Review } from './entities/review.entity';
import { SectionSummary } from './entities/section-summary.entity';
import { ExpiryJob } from './expiry-job';
import { FindingsBook } from './findings-book';
import { ProviderStanding } from './provider-standing';
import { QueuePageModel } from './queue.page';
import { ReportsPageModel } from './reports.page';
import { ReportsController } from './reports.controller';
import { ReviewAssignments } from './review-assignments';
import { ReviewFloor } from './review-floor';
import { ReviewPageModel } from './review.page';
import { ReviewQueue } from './review-queue';
import { ReviewWorkspace } from './review-workspace';
import { ReviewerEvidence } from './reviewer-evidence';
import { ReviewsController } from './reviews.controller';
import { ReviewsPagesController } from './reviews.pages.controller';
import { VerificationReports } from './verification-reports';
import { VerifiedStatus } from './verified-status';

@Module({
  imports: [
    TypeOrmModule.forFeature([Review, ReviewDeclaration, Finding, FindingNote, SectionSummary, Decision]),
    AuditModule,
    AssessmentsModule,
    CodesModule,
    EvidenceModule,
    NotificationsModule,
    RegisterModule,
    ProviderServicesModule,
    TenancyModule,
  ],
  controllers: [ReviewsController, ReportsController, ReviewsPagesController],
  providers: [ReviewQueue, ReviewWorkspace, ReviewAssignments, ReviewFloor, ReviewerEvidence, FindingsBook, Decisions, VerifiedStatus, ExpiryJob, VerificationReports, ProviderStanding, QueuePageModel, ReviewPageModel, ReportsPageModel],
  exports: [ExpiryJob, VerifiedStatus],
})
export class VerificationModule {}
