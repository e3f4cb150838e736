import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config.service';

/**
 * The secret that signs session cookies: SESSION_SECRET when set, otherwise one generated once into
 * DATA_DIR so that sessions survive a restart of a single-machine install.
 */
@Injectable()
export class SessionSecret {
  private readonly logger = new Logger(SessionSecret.name);
  private secret?: string;

  constructor(private readonly config: AppConfig) {}

  get value(): string {
    this.secret ??= this.config.configuredSessionSecret ?? this.readOrGenerate();
    return this.secret;
  }

  private readOrGenerate(): string {
    const file = join(this.config.dataDir, 'session-secret');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(this.config.dataDir, { recursive: true });
    const generated = randomBytes(48).toString('base64url');
    writeFileSync(file, generated, { mode: 0o600 });
    this.logger.warn(`SESSION_SECRET is not set; generated one into ${file}. Set SESSION_SECRET when running several instances.`);
    return generated;
  }
}
