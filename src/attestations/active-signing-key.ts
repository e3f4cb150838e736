import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { PublishedKeys } from './published-keys';
import { signingKeyFromPem, SigningKey } from './signing-key';
import { readOrCreateKeyFile } from './signing-key-file';

/**
 * The key this instance signs attestations with: REGISTER_SIGNING_KEY when set, otherwise the one
 * generated into DATA_DIR on first start. A key that cannot sign stops the start, saying why. Once the
 * database is ready, its public key is published as the one in use.
 */
@Injectable()
export class ActiveSigningKey implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Attestations');
  private key?: SigningKey;

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
    await this.tx.runScoped({}, () => this.published.activate(this.current));
    this.logger.log(`Register attestations are signed with key ${this.current.kid}.`);
  }

  get current(): SigningKey {
    if (!this.key) throw new Error('The register signing key is read when the application starts; it was not');
    return this.key;
  }
}
