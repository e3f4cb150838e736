import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { formBody } from './common/web/form-body.middleware';
import { refuseDeepNesting } from './common/validation/nesting-depth';
import { refuseNul } from './common/validation/nul-character';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { AssessmentsModule } from './assessments/assessments.module';
import { AttestationsModule } from './attestations/attestations.module';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CodesModule } from './codes/codes.module';
import { CommonModule } from './common/common.module';
import { ComplaintsModule } from './complaints/complaints.module';
import { ExceptionsFilter } from './web/exceptions.filter';
import { loggerOptions } from './common/logging/logger.options';
import { HomeController } from './home/home.controller';
import { createValidationPipe } from './common/validation/validation.pipe';
import { FormViewGuard } from './web/form-view.guard';
import { AccessGuard } from './auth/access.guard';
import { AppConfig } from './config/app-config.service';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EvidenceModule } from './evidence/evidence.module';
import { RequestTransactionInterceptor } from './database/request-transaction.interceptor';
import { HealthModule } from './health/health.module';
import { AccountAlertsModule } from './notifications/account-alerts.module';
import { SsoModule } from './sso/sso.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RegisterModule } from './register/register.module';
import { RegisterSiteModule } from './register-site/register-site.module';
import { ScreeningModule } from './screening/screening.module';
import { ProviderServicesModule } from './provider-services/provider-services.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { VerificationModule } from './verification/verification.module';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerOptions(config.logLevel) }),
    ClsModule.forRoot({ global: true, middleware: { mount: true, generateId: true, idGenerator: (request) => request.id } }),
    CommonModule,
    DatabaseModule,
    ScheduleModule.forRoot(),
    // Before the modules of /app/:org pages: its /app/admin pages must not be taken for an organization's.
    AdminModule,
    AuditModule,
    TenancyModule,
    AuthModule,
    SsoModule,
    CodesModule,
    ProviderServicesModule,
    ScreeningModule,
    EvidenceModule,
    AssessmentsModule,
    AttestationsModule,
    RegisterModule,
    VerificationModule,
    ComplaintsModule,
    NotificationsModule,
    AccountAlertsModule,
    HealthModule,
    // Last: its `/register/:id` pages must not shadow the fixed `/register/...` pages of other modules.
    RegisterSiteModule,
  ],
  controllers: [HomeController],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ExceptionsFilter },
    // Guards run in this order: the form view is known before access is checked.
    { provide: APP_GUARD, useClass: FormViewGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: RequestTransactionInterceptor },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Module middleware runs after the body parsers; the depth check first, as the others recurse.
    consumer.apply(refuseDeepNesting, refuseNul, formBody).forRoutes('*path');
  }
}
