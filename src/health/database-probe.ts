import { Injectable } from '@nestjs/common';
import { Client, type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Whether the database answers, asked in a way that a busy instance still answers truthfully.
 *
 * On a server, the probe opens a connection of its own with the pool's settings instead of waiting in
 * the request pool: under load every pooled connection is taken, and a probe queued behind requests
 * would report a healthy database as unreachable, so a load balancer would take the instance out at
 * the moment it is needed most. The embedded database is one backend inside this process, which
 * cannot serve two connections at once, so there the probe takes its turn in the pool.
 */
@Injectable()
export class DatabaseProbe {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Resolves when the database answered a query within the time limit; rejects otherwise. */
  async check(): Promise<void> {
    if (!this.config.databaseUrl) return this.withinTimeLimit(this.dataSource.query('SELECT 1'));
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = new Client({ ...pool.options, connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS });
    // A refused or dropped connection is reported by the awaited calls; this keeps it from also being thrown.
    client.on('error', () => undefined);
    try {
      await this.withinTimeLimit(client.connect().then(() => client.query('SELECT 1')));
    } finally {
      void client.end().catch(() => undefined);
    }
  }

  private async withinTimeLimit(work: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('The database did not answer in time.')), PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
