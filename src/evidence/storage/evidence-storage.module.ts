import { Module } from '@nestjs/common';
import { UploadReceiver } from '../upload/upload-receiver';
import { EvidenceStorage } from './evidence-storage';
import { evidenceStorageProvider } from './evidence-storage.provider';

/**
 * Evidence files: receiving them and keeping them. Needs only AppConfig, which the global config
 * module provides, and no database.
 */
@Module({
  providers: [evidenceStorageProvider, UploadReceiver],
  exports: [EvidenceStorage, UploadReceiver],
})
export class EvidenceStorageModule {}
