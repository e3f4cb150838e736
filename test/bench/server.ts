import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { QueryTotals, Statement } from './query-counter';

export type Mode = 'embedded' | 'server';

export const NODE_ENV = process.env.BENCH_NODE_ENV || 'production';

export const OPERATOR = { email: 'bench-operator@example.org', password: 'bench operator passphrase' };

/** A fresh PostgreSQL database on the server at `base`, dropped by `drop()`. */
async function createDatabase(base: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `adhere_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new PgClient({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The folder of package.json, wherever the compiled file runs from. */
export function projectRoot(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json'))) {
    if (dirname(directory) === directory) throw new Error('package.json not found');
    directory = dirname(directory);
  }
  return directory;
}

/**
 * The built application (`dist/src/main.js`) in a child process of its own, on a free loopback port,
 * with a temporary DATA_DIR and either its embedded database or a fresh database on a server.
 */
export class BenchServer {
  /** Servers not yet stopped, for an interrupted run to stop them and drop their databases. */
  static readonly running = new Set<BenchServer>();
  private stderr = '';
  private exited = false;

  private child!: ChildProcess;

  private constructor(
    readonly mode: Mode,
    readonly port: number,
    readonly dataDir: string,
    private readonly root: string,
    private env: NodeJS.ProcessEnv,
    private readonly database?: { name: string; url: string; drop: () => Promise<void> },
  ) {}

  private spawn(): void {
    this.stderr = '';
    this.exited = false;
    const child = spawn(process.execPath, ['-r', join(__dirname, 'query-counter.js'), join(this.root, 'dist', 'src', 'main.js')], {
      cwd: this.root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    child.stdout?.resume();
    child.on('exit', () => {
      this.exited = true;
    });
    this.child = child;
  }

  /** The server's own database: a URL on the server, or the embedded data folder (usable while paused). */
  get databaseUrl(): string | undefined {
    return this.database?.url;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get databaseName(): string {
    return this.database?.name ?? 'PGlite in the server process';
  }

  /** `environment` is added to the server's own, e.g. to turn its scheduled jobs off. */
  static async start(root: string, mode: Mode, serverUrl?: string, environment: Record<string, string> = {}): Promise<BenchServer> {
    const dataDir = mkdtempSync(join(tmpdir(), 'adhere-bench-data-'));
    const database = mode === 'server' ? await createDatabase(serverUrl!) : undefined;
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // As deployed (README, Deployment): Express caches compiled page templates only in production.
      NODE_ENV: NODE_ENV,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: database?.url ?? '',
      SESSION_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'silent',
      OPERATOR_EMAIL: OPERATOR.email,
      OPERATOR_PASSWORD: OPERATOR.password,
      UPLOAD_MAX_BYTES: String(2 * 1024 ** 3),
      // For diagnosis only, e.g. BENCH_SERVER_NODE_OPTIONS=--cpu-prof (profiles land in the project folder).
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
      ...environment,
    };
    const server = new BenchServer(mode, port, dataDir, root, env, database);
    server.spawn();
    BenchServer.running.add(server);
    try {
      await server.waitUntilReady();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private async waitUntilReady(): Promise<void> {
    const until = Date.now() + 180_000;
    while (Date.now() < until) {
      if (this.exited) throw new Error(`The server exited during start-up:\n${this.stderr}`);
      const status = await new Promise<number>((resolve) => {
        const request = http.get({ host: '127.0.0.1', port: this.port, path: '/health/ready', agent: false, timeout: 5_000 }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('timeout', () => request.destroy());
        request.on('error', () => resolve(0));
      });
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`The server did not become ready within 180 s:\n${this.stderr}`);
  }

  /** The server's running totals of SQL statements (see query-counter.ts). */
  async queryTotals(): Promise<QueryTotals> {
    return (await this.ask<{ totals: QueryTotals }>('query-totals')).totals;
  }

  /** The text of every SQL statement the server sends while `work` runs. */
  async statementsOf(work: () => Promise<unknown>): Promise<string[]> {
    await this.startRecording();
    await work();
    const { statements } = await this.stopRecording();
    return statements.map((statement) => statement.text.replace(/\s+/g, ' ').trim());
  }

  /** Starts keeping every statement the server sends, with its parameters; answers the running totals. */
  async startRecording(): Promise<QueryTotals> {
    return (await this.ask<{ totals: QueryTotals }>('query-record')).totals;
  }

  /** The statements sent since `startRecording`, and the running totals. */
  async stopRecording(): Promise<{ totals: QueryTotals; statements: Statement[] }> {
    return this.ask<{ totals: QueryTotals; statements: Statement[] }>('query-recorded');
  }

  private ask<T>(question: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('No answer from the query counter')), 5_000);
      const onMessage = (message: { type?: string }) => {
        if (message?.type !== question) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message as T);
      };
      this.child.on('message', onMessage);
      this.child.send(question);
    });
  }

  /** Resident set size of the server process, in bytes, from /proc/<pid>/status. */
  rss(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return Number(kib) * 1024;
  }

  /** Stops the process but keeps its database and DATA_DIR, e.g. to write into the embedded database. */
  async pause(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** Starts the process again on the same database, port and DATA_DIR; `environment` changes its settings. */
  async resume(environment: Record<string, string> = {}): Promise<void> {
    this.env = { ...this.env, ...environment };
    this.spawn();
    await this.waitUntilReady();
  }

  /** Stops the server (SIGTERM, then SIGKILL after 15 s), drops its database and removes its DATA_DIR. */
  async stop(): Promise<void> {
    await this.pause();
    BenchServer.running.delete(this);
    try {
      await this.database?.drop();
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
