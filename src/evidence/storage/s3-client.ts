import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../../config/app-config.service';

/** A client that also talks to S3-compatible stores (MinIO, Ceph, Garage, R2 …), not only to AWS. */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    // Recent SDKs otherwise checksum every upload with aws-chunked trailers, which many compatible
    // stores refuse; the SHA-256 computed while receiving is sent with each object instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
