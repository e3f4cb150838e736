import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CodesModule } from '../codes/codes.module';
import { ScreeningModule } from '../screening/screening.module';
import { EvidenceRevision } from './entities/evidence-revision.entity';
import { Evidence } from './entities/evidence.entity';
import { EvidenceFormModel } from './evidence-form.page';
import { EvidenceAcceptance } from './evidence-acceptance';
import { EvidenceContent } from './evidence-content';
import { EvidenceIntake } from './evidence-intake';
import { EvidenceLibrary } from './evidence-library';
import { EvidenceUsage } from './evidence-usage';
import { EvidenceController } from './evidence.controller';
import { EvidencePagesController } from './evidence.pages.controller';
import { EvidenceStorageModule } from './storage/evidence-storage.module';

@Module({
  imports: [TypeOrmModule.forFeature([Evidence, EvidenceRevision]), AuditModule, EvidenceStorageModule, CodesModule, ScreeningModule],
  controllers: [EvidenceController, EvidencePagesController],
  providers: [EvidenceLibrary, EvidenceContent, EvidenceUsage, EvidenceFormModel, EvidenceIntake, EvidenceAcceptance],
  exports: [EvidenceLibrary, EvidenceContent, EvidenceUsage, EvidenceAcceptance],
})
export class EvidenceModule {}
