import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Keeps a connection that breaks from ending the process. node-postgres reports a connection the server
 * ends (PostgreSQL stopped, restarted or failed over) as an `error` event on its client, and an event
 * nobody listens to is thrown. The pool listens while a client is idle and TypeORM while a query runner
 * holds it, which left moments with no listener: stopping PostgreSQL under load ended the process. Each
 * client gets a listener of its own the first time it is handed out; a broken client then only fails
 * the request using it (a 503), and the pool replaces it.
 */
@Injectable()
export class BrokenConnections implements OnModuleInit {
  private readonly logger = new Logger('Database');
  private readonly watched = new WeakSet<PoolClient>();

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    pool.on('acquire', (client) => {
      if (this.watched.has(client)) return;
      this.watched.add(client);
      client.on('error', (error) => this.logger.warn(`A database connection broke: ${error.message}`));
    });
  }
}
