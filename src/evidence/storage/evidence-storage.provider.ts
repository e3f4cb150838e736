import type { FactoryProvider } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config.service';
import { EvidenceStorage } from './evidence-storage';
import { FilesystemEvidenceStorage } from './filesystem-evidence-storage';
import { createS3Client } from './s3-client';
import { S3EvidenceStorage } from './s3-evidence-storage';

/** The storage that STORAGE_DRIVER names; everything else asks for EvidenceStorage only. */
export const evidenceStorageProvider: FactoryProvider<EvidenceStorage> = {
  provide: EvidenceStorage,
  inject: [AppConfig],
  useFactory: (config: AppConfig): EvidenceStorage => {
    if (config.storageDriver === 's3') {
      const settings = config.s3;
      return new S3EvidenceStorage(createS3Client(settings), settings.bucket);
    }
    return new FilesystemEvidenceStorage(join(config.dataDir, 'evidence'));
  },
};
