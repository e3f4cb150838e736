import { Injectable, Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port through the PostgreSQL wire
 * protocol so that the application reaches it with the same `pg` driver it uses for a real server.
 * PGlite is a single backend, so its clients must use one connection at a time.
 */
@Injectable()
export class EmbeddedPostgres {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private database?: PGlite;
  private server?: PGLiteSocketServer;

  async start(dataDir: string): Promise<EmbeddedEndpoint> {
    this.database = await this.open(dataDir);
    // Room for a connection being replaced while its predecessor closes; the pool uses one at a time.
    this.server = new PGLiteSocketServer({ db: this.database, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await this.server.start();
    const port = (this.server as unknown as { port: number }).port;
    this.logger.log(`Embedded PostgreSQL (PGlite) ready on 127.0.0.1:${port}`);
    return { host: '127.0.0.1', port };
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.database?.close();
    this.server = undefined;
    this.database = undefined;
  }

  protected async open(dataDir: string): Promise<PGlite> {
    const directory = join(dataDir, 'pgdata');
    mkdirSync(directory, { recursive: true });
    return PGlite.create({ dataDir: directory });
  }
}
