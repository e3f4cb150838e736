import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { AccreditationsService } from './accreditations.service';
import { AccreditationFormModel } from './accreditation-form.page';
import { BundledCodesLoader } from './bundled-codes.loader';
import { codeUpload } from './code-upload.middleware';
import { CodesPagesController } from './codes.pages.controller';
import { CodesController } from './codes.controller';
import { CodeImport } from './code-import';
import { CodeVersionLifecycle } from './code-version-lifecycle';
import { CodesService } from './codes.service';
import { Accreditation } from './entities/accreditation.entity';
import { EvidencePolicies } from './evidence-policies';
import { Code } from './entities/code.entity';
import { CodeRequirement } from './entities/code-requirement.entity';
import { CodeSection } from './entities/code-section.entity';
import { CodeVersion } from './entities/code-version.entity';
import { OperatorCodesPagesController } from './operator-codes.pages.controller';
import { OrganizationAccreditationsController } from './organization-accreditations.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Code, CodeVersion, CodeSection, CodeRequirement, Accreditation]), AuditModule, TenancyModule],
  controllers: [CodesController, CodesPagesController, OperatorCodesPagesController, OrganizationAccreditationsController],
  providers: [CodesService, CodeImport, CodeVersionLifecycle, AccreditationsService, BundledCodesLoader, AccreditationFormModel, EvidencePolicies],
  exports: [CodesService, AccreditationsService, EvidencePolicies],
})
export class CodesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(codeUpload).forRoutes({ path: 'operator/codes/check', method: RequestMethod.POST }, { path: 'operator/codes/import', method: RequestMethod.POST });
  }
}
