import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CodesModule } from '../codes/codes.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProviderServicesModule } from '../provider-services/provider-services.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { AnswerBook } from './answer-book';
import { AnswerSaving } from './answer-saving';
import { AnswersImport } from './answers-import';
import { AssessmentLifecycle } from './assessment-lifecycle';
import { AssessmentSigning } from './assessment-signing';
import { AssessmentStart } from './assessment-start';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsPagesController } from './assessments.pages.controller';
import { AssessmentsService } from './assessments.service';
import { AnswerEvidence } from './entities/answer-evidence.entity';
import { Answer } from './entities/answer.entity';
import { AssessmentSubmission } from './entities/assessment-submission.entity';
import { Assessment } from './entities/assessment.entity';
import { StartFormModel } from './start-form.page';
import { WorkspaceFormModel } from './workspace-form.page';
import { SubmitFormModel } from './submit-form.page';
import { ReviewFeedback } from './review-feedback';
import { SubmittedAssessments } from './submitted-assessments';

@Module({
  imports: [TypeOrmModule.forFeature([Assessment, Answer, AnswerEvidence, AssessmentSubmission]), AuditModule, CodesModule, ProviderServicesModule, TenancyModule, EvidenceModule, NotificationsModule],
  controllers: [AssessmentsController, AssessmentsPagesController],
  providers: [AssessmentsService, AssessmentStart, AssessmentSigning, AnswerSaving, SubmittedAssessments, AnswerBook, AnswersImport, AssessmentLifecycle, StartFormModel, WorkspaceFormModel, SubmitFormModel, ReviewFeedback],
  exports: [SubmittedAssessments, AssessmentLifecycle, ReviewFeedback],
})
export class AssessmentsModule {}
