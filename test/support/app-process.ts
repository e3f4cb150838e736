import { transformFile, type Options } from '@swc/core';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { freePort } from '../bench/server';

/**
 * Whole Adhere applications in child processes of their own, as deployed instances run, built from the
 * current sources: for tests that need more than one process on one database.
 */

const PROJECT_ROOT = join(__dirname, '..', '..');

/** The options test/jest.config.js compiles with, so the processes run the code the tests see. */
const JEST_CONFIG = require('../jest.config.js') as { transform: Record<string, [string, Options]> };
const SWC_OPTIONS: Options = { ...Object.values(JEST_CONFIG.transform)[0][1], swcrc: false, configFile: false };

function sourcesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Compiles src/ and migrations/ into a temporary folder laid out like dist/ (`src/main.js`,
 * `migrations/*.js`), in a few seconds and without type checking (`npm run typecheck` does that).
 * The application finds views/, node_modules/ and the bundled codes from the folder that holds
 * package.json (src/common/project-root.ts), so the build links those to the project's own.
 * Not `nest build` into dist/: that is slower, and another build deletes dist/ while it is in use.
 */
export async function buildApplication(): Promise<{ root: string; remove: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'adhere-build-'));
  const sources = [...sourcesUnder(join(PROJECT_ROOT, 'src')), ...sourcesUnder(join(PROJECT_ROOT, 'migrations'))];
  await Promise.all(
    sources.map(async (source) => {
      const { code } = await transformFile(source, { ...SWC_OPTIONS, filename: source });
      const target = join(root, relative(PROJECT_ROOT, source)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  for (const shared of ['package.json', 'node_modules', 'views', join('src', 'codes', 'bundled')]) {
    symlinkSync(join(PROJECT_ROOT, shared), join(root, shared));
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function readinessOf(port: number): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health/ready', agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

/**
 * One instance: `node <build>/src/main.js` with exactly the environment given (nothing of the test
 * process's own leaks in), on its own loopback port. Its output is kept for assertions and for the
 * error when it does not start.
 */
export class AppProcess {
  private child?: ChildProcess;
  private output = '';
  private standardOutput = '';
  private exited = true;

  private constructor(
    private readonly build: string,
    readonly port: number,
    private environment: Record<string, string>,
  ) {}

  /** Starts an instance and waits until /health/ready answers 200. PORT is chosen here. */
  static async start(build: string, environment: Record<string, string>): Promise<AppProcess> {
    const instance = new AppProcess(build, await freePort(), environment);
    await instance.restart();
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Everything the process wrote to stdout and stderr since it last started. */
  get log(): string {
    return this.output;
  }

  /** What the process wrote to stdout alone since it last started. */
  get stdout(): string {
    return this.standardOutput;
  }

  /** Starts the instance again on the same port, with some settings changed. */
  async restart(changes: Record<string, string> = {}): Promise<void> {
    await this.stop();
    this.environment = { ...this.environment, ...changes };
    this.output = '';
    this.standardOutput = '';
    this.exited = false;
    const child = spawn(process.execPath, [join(this.build, 'src', 'main.js')], {
      cwd: this.build,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.environment, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-200_000);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      this.standardOutput = (this.standardOutput + chunk.toString()).slice(-200_000);
    });
    child.stderr!.on('data', keep);
    child.on('exit', () => (this.exited = true));
    this.child = child;
    const until = Date.now() + 90_000;
    while (Date.now() < until) {
      if (this.exited) throw new Error(`The instance on port ${this.port} exited during start-up:\n${this.output}`);
      if ((await readinessOf(this.port)) === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.stop();
    throw new Error(`The instance on port ${this.port} was not ready within 90 s:\n${this.output}`);
  }

  /** SIGTERM, as an orchestrator stops an instance; SIGKILL if it has not exited after 15 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
