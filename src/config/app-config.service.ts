import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { resolve } from 'node:path';
import { Environment, hashListUrls } from './environment';

/** How to reach the S3-compatible bucket that holds evidence when STORAGE_DRIVER=s3. */
export interface S3Settings {
  /** Unset for AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Unset: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

/** Typed access to the validated environment. */
@Injectable()
export class AppConfig {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  get nodeEnv(): Environment['NODE_ENV'] {
    return this.config.get('NODE_ENV', { infer: true });
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  get port(): number {
    return this.config.get('PORT', { infer: true });
  }

  get publicUrl(): string {
    const configured = this.config.get('PUBLIC_URL', { infer: true });
    return (configured ?? `http://localhost:${this.port}`).replace(/\/+$/, '');
  }

  /** Scheme, host and port of PUBLIC_URL, as a browser writes them in an Origin header. */
  get publicOrigin(): string {
    return new URL(this.publicUrl).origin;
  }

  get secureCookies(): boolean {
    return this.publicUrl.startsWith('https://');
  }

  get databaseUrl(): string | undefined {
    return this.config.get('DATABASE_URL', { infer: true });
  }

  get databasePoolSize(): number {
    return this.config.get('DATABASE_POOL_SIZE', { infer: true });
  }

  get dataDir(): string {
    return resolve(this.config.get('DATA_DIR', { infer: true }));
  }

  get configuredSessionSecret(): string | undefined {
    return this.config.get('SESSION_SECRET', { infer: true });
  }

  get operatorCredentials(): { email: string; password: string } | undefined {
    const email = this.config.get('OPERATOR_EMAIL', { infer: true });
    const password = this.config.get('OPERATOR_PASSWORD', { infer: true });
    return email && password ? { email, password } : undefined;
  }

  /** Express's "trust proxy" value: `true`, a number of hops, or addresses and subnets. */
  get trustProxy(): boolean | number | string {
    const value = this.config.get('TRUST_PROXY', { infer: true });
    if (value === 'true' || value === 'false') return value === 'true';
    return /^\d+$/.test(value) ? Number(value) : value;
  }

  get logLevel(): string {
    return this.config.get('LOG_LEVEL', { infer: true });
  }

  get loginMaxFailures(): number {
    return this.config.get('LOGIN_MAX_FAILURES', { infer: true });
  }

  get loginLockMinutes(): number {
    return this.config.get('LOGIN_LOCK_MINUTES', { infer: true });
  }

  /** The largest evidence file accepted, in bytes. */
  get uploadMaxBytes(): number {
    return this.config.get('UPLOAD_MAX_BYTES', { infer: true });
  }

  get storageDriver(): Environment['STORAGE_DRIVER'] {
    return this.config.get('STORAGE_DRIVER', { infer: true });
  }

  /** Read only by the S3 driver; the bucket is validated as required when STORAGE_DRIVER=s3. */
  get s3(): S3Settings {
    const bucket = this.config.get('S3_BUCKET', { infer: true });
    if (!bucket) throw new Error('S3_BUCKET is not set; it is required when STORAGE_DRIVER=s3');
    const accessKeyId = this.config.get('S3_ACCESS_KEY_ID', { infer: true });
    const secretAccessKey = this.config.get('S3_SECRET_ACCESS_KEY', { infer: true });
    return {
      endpoint: this.config.get('S3_ENDPOINT', { infer: true }),
      region: this.config.get('S3_REGION', { infer: true }),
      bucket,
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      forcePathStyle: this.config.get('S3_FORCE_PATH_STYLE', { infer: true }),
    };
  }

  /** Unset: notifications are written to the log, not sent. */
  get smtpUrl(): string | undefined {
    return this.config.get('SMTP_URL', { infer: true });
  }

  get mailFrom(): string {
    return this.config.get('MAIL_FROM', { infer: true });
  }

  /** 0: this instance does not deliver notifications on its own. */
  get notificationPollSeconds(): number {
    return this.config.get('NOTIFICATION_POLL_SECONDS', { infer: true });
  }

  get expiryJobSeconds(): number {
    return this.config.get('EXPIRY_JOB_SECONDS', { infer: true });
  }

  get registerSigningKey(): string | undefined {
    return this.config.get('REGISTER_SIGNING_KEY', { infer: true });
  }

  get complaintsPerHour(): number {
    return this.config.get('COMPLAINTS_PER_HOUR', { infer: true });
  }

  /** The hash lists to fetch, by name. */
  get hashListUrls(): Array<{ name: string; url: string }> {
    return hashListUrls(this.config.get('HASH_LIST_URLS', { infer: true }));
  }

  /** 0: the lists are fetched at start only. */
  get hashListRefreshSeconds(): number {
    return this.config.get('HASH_LIST_REFRESH_SECONDS', { infer: true });
  }
}
