import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { resolve } from 'node:path';
import { Environment } from './environment';

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
}
