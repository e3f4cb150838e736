import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { TransactionHost } from '../database/transaction-host';
import { CSV_FIELDS, RegisterDirectory } from './register-directory';

const BATCH = 250;

/**
 * The whole register as CSV, written to a stream batch by batch in id order. Each batch is read in a
 * short read-only transaction of its own, so a large download never holds a connection for long,
 * and the next batch waits until the client has taken the last.
 */
@Injectable()
export class RegisterCsv {
  constructor(
    private readonly tx: TransactionHost,
    private readonly directory: RegisterDirectory,
  ) {}

  async write(output: Writable, baseUrl: string): Promise<void> {
    const done = finished(output).catch(() => undefined);
    let ready = output.write(`${CSV_FIELDS.map(([name]) => name).join(',')}\r\n`);
    let after: string | null = null;
    for (;;) {
      if (!ready) await Promise.race([once(output, 'drain'), done]);
      // A client that left ends the download.
      if (output.destroyed) return;
      const batch = await this.tx.runScoped({}, () => this.directory.csvLinesAfter(after, BATCH, baseUrl));
      if (batch.count > 0) ready = output.write(`${batch.lines}\r\n`);
      if (batch.count < BATCH) break;
      after = batch.last;
    }
    output.end();
    await done;
  }
}
