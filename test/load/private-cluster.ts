import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../bench/server';

const BIN = '/usr/lib/postgresql/15/bin';
const OWNER = 'postgres';

/** `command` run as the cluster's owner; PostgreSQL refuses to run as root. */
function asOwner(command: string, args: string[]): string[] {
  return userInfo().uid === 0 ? ['runuser', '-u', OWNER, '--', join(BIN, command), ...args] : [join(BIN, command), ...args];
}

function run(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(argv[0], argv.slice(1), { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${argv.slice(argv.indexOf('--') + 1).join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * A PostgreSQL 15 cluster of this run only: its own data folder under the temporary folder, a free
 * loopback port, its socket in that folder and trust authentication. Stopping it disturbs nothing
 * else, which is what lets the outage be real.
 */
export class PrivateCluster {
  /** Clusters not yet destroyed, for an interrupted run to remove them. */
  static readonly existing = new Set<PrivateCluster>();
  private running = false;

  private constructor(
    readonly root: string,
    readonly port: number,
  ) {}

  private get dataDir(): string {
    return join(this.root, 'data');
  }

  /** The superuser's connection to the cluster's default database. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  static async create(): Promise<PrivateCluster> {
    const root = mkdtempSync(join(tmpdir(), 'adhere-load-pg-'));
    const cluster = new PrivateCluster(root, await freePort());
    PrivateCluster.existing.add(cluster);
    try {
      if (userInfo().uid === 0) {
        const owner = spawnSync('id', ['-u', OWNER], { encoding: 'utf8' });
        const group = spawnSync('id', ['-g', OWNER], { encoding: 'utf8' });
        chownSync(root, Number(owner.stdout), Number(group.stdout));
      }
      // No fsync while the cluster is created: it is thrown away after the run anyway; the server itself keeps its defaults.
      await run(asOwner('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']));
      appendFileSync(
        join(cluster.dataDir, 'postgresql.conf'),
        [`listen_addresses = '127.0.0.1'`, `port = ${cluster.port}`, `unix_socket_directories = '${root}'`, 'max_connections = 200', ''].join('\n'),
      );
      await cluster.start();
    } catch (error) {
      cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** Starts the cluster and waits until it accepts connections. */
  async start(): Promise<void> {
    await run(asOwner('pg_ctl', ['start', '-w', '-t', '60', '-D', this.dataDir, '-l', join(this.root, 'server.log')]));
    this.running = true;
  }

  /** Fast shutdown, as an operator or a failover would: sessions are cut, open transactions rolled back. */
  async stop(): Promise<void> {
    await run(asOwner('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', this.dataDir]));
    this.running = false;
  }

  /** Stops the cluster at once if it runs and removes its folder; synchronous, so a signal handler can use it. */
  destroy(): void {
    if (!PrivateCluster.existing.delete(this)) return;
    const [command, ...args] = asOwner('pg_ctl', ['stop', '-w', '-t', '30', '-m', 'immediate', '-D', this.dataDir]);
    spawnSync(command, args, { stdio: 'ignore' });
    this.running = false;
    rmSync(this.root, { recursive: true, force: true });
  }
}
