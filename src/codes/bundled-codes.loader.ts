import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import semver from 'semver';
import { projectRoot } from '../common/project-root';
import { TransactionHost } from '../database/transaction-host';
import { CodesErrorCode, CodesException } from './codes.exception';
import { CodeImport } from './code-import';

export const BUNDLED_CODES_DIRECTORY = join(projectRoot(), 'src', 'codes', 'bundled');

/** A bundled file is named after its code and version: `csea-detection-tools-1.1.0.yaml`. */
const BUNDLED_FILE = /^(.+)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.yaml$/;

/**
 * Makes sure the codes shipped with Adhere are published: at start-up, each bundled file is imported
 * and published unless exactly that content is already there, the versions of a code oldest first, so
 * that the version a changelog counts from is there when the changelog is checked. Several instances
 * starting together take turns on the code's lock, so the work is done once.
 */
@Injectable()
export class BundledCodesLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Codes');

  constructor(
    private readonly tx: TransactionHost,
    private readonly codes: CodeImport,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const file of readdirSync(BUNDLED_CODES_DIRECTORY).filter((name) => name.endsWith('.yaml')).sort(byCodeThenVersion)) {
      await this.load(file);
    }
  }

  private async load(file: string): Promise<void> {
    const started = performance.now();
    const source = readFileSync(join(BUNDLED_CODES_DIRECTORY, file), 'utf8');
    try {
      const { version, created } = await this.tx.runScoped({}, () => this.codes.import(source, { publish: true }));
      const elapsed = `${(performance.now() - started).toFixed(0)} ms`;
      if (created) this.logger.log(`Published the bundled code ${file} (${version.contentHash.slice(0, 12)}) in ${elapsed}.`);
      else this.logger.debug(`The bundled code ${file} is already published (checked in ${elapsed}).`);
    } catch (error) {
      // A published version never changes: an edited file must carry a new version number.
      if (error instanceof CodesException && error.code === CodesErrorCode.VersionFrozen) {
        this.logger.warn(`The bundled code ${file} differs from its published version, which stays as it is: ${error.message}`);
        return;
      }
      throw error;
    }
  }
}

/** By code, then by version number (1.9.0 before 1.10.0, which sorting by name would reverse). */
export function byCodeThenVersion(a: string, b: string): number {
  const [first, second] = [BUNDLED_FILE.exec(a), BUNDLED_FILE.exec(b)];
  if (!first || !second || first[1] !== second[1]) return a.localeCompare(b);
  return semver.compare(first[2], second[2]);
}
