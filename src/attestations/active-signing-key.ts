import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { KEY_RENEWAL_SECONDS, PublishedKeys } from './published-keys';
import { signingKeyFromPem, SigningKey } from './signing-key';
import { readOrCreateKeyFile } from './signing-key-file';

/**
 * The key this instance signs attestations with: REGISTER_SIGNING_KEY when set, otherwise the one
 * generated into DATA_DIR on first start. A key that cannot sign stops the start, saying why. Once the
 * database is ready, its public key is published as in use, and kept so while this instance runs:
 * other instances, with this key or another, never retire a key that a running instance signs with.
 */
@Injectable()
export class ActiveSigningKey implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Attestations');
  private key?: SigningKey;
  private renewal?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionHost,
    private readonly published: PublishedKeys,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.registerSigningKey;
    if (configured) {
      this.key = await signingKeyFromPem(configured, 'REGISTER_SIGNING_KEY');
      return;
    }
    const { key, file, created } = await readOrCreateKeyFile(this.config.dataDir);
    if (created) {
      this.logger.warn(`REGISTER_SIGNING_KEY is not set; generated a register signing key into ${file} (kid ${key.kid}). Set REGISTER_SIGNING_KEY when running several instances.`);
    }
    this.key = key;
  }

  async onApplicationBootstrap(): Promise<void> {
    const others = await this.holdInUse();
    this.logger.log(`Register attestations are signed with key ${this.current.kid}.`);
    if (others.length > 0) {
      this.logger.warn(
        `Other running instances sign register attestations with key ${others.join(', ')}, and this one with ${this.current.kid}. ` +
          'That is expected only while a new key is rolled out; otherwise give every instance the same REGISTER_SIGNING_KEY.',
      );
    }
    this.renewal = setInterval(() => {
      this.holdInUse().catch((error: Error) => this.logger.error(`Renewing the register signing key's lease failed: ${error.message}`, error.stack));
    }, KEY_RENEWAL_SECONDS * 1000);
    this.renewal.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.renewal);
  }

  /** Marks this instance's key in use for another lease; returns the keys other running instances sign with. */
  private holdInUse(): Promise<string[]> {
    return this.tx.runScoped({}, () => this.published.holdInUse(this.current));
  }

  get current(): SigningKey {
    if (!this.key) throw new Error('The register signing key is read when the application starts; it was not');
    return this.key;
  }
}
