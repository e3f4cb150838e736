import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CodesModule } from '../codes/codes.module';
import { ProviderService } from './entities/provider-service.entity';
import { ServiceRegistry } from './service-registry';
import { ServiceFormModel } from './service-form.page';
import { ProviderServicesController } from './provider-services.controller';
import { ProviderServicesPagesController } from './provider-services.pages.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ProviderService]), AuditModule, CodesModule],
  controllers: [ProviderServicesController, ProviderServicesPagesController],
  providers: [ServiceRegistry, ServiceFormModel],
  exports: [ServiceRegistry],
})
export class ProviderServicesModule {}
