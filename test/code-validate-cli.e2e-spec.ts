import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BUNDLED_CODES_DIRECTORY } from '../src/codes/bundled-codes.loader';
import { buildApplication } from './support/app-process';

const V100 = join(BUNDLED_CODES_DIRECTORY, 'csea-detection-tools-1.0.0.yaml');
const V110 = join(BUNDLED_CODES_DIRECTORY, 'csea-detection-tools-1.1.0.yaml');

/** `npm run code:validate`, as its compiled program runs: exit status and what it printed. */
describe('the code:validate command', () => {
  let build: { root: string; remove: () => void };
  const scratch = mkdtempSync(join(tmpdir(), 'adhere-validate-'));

  beforeAll(async () => {
    build = await buildApplication();
  }, 120_000);
  afterAll(() => {
    build?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [join(build.root, 'src', 'codes', 'code-validate.cli.js'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', INIT_CWD: scratch } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('validates both bundled versions and checks the changelog of 1.1.0 against 1.0.0 given with it', () => {
    const result = run(V100, V110);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain(`${V100}: valid — csea-detection-tools 1.0.0, 3 levels, 7 profile questions`);
    expect(result.stdout).toContain(`${V110}: valid — csea-detection-tools 1.1.0, 3 levels, 8 profile questions`);
    expect(result.stdout).toMatch(/changelog from 1\.0\.0, \d+ changes: matches every change from 1\.0\.0/);
  });

  it('compares with a version given after --previous, and says when it had nothing to compare with', () => {
    expect(run(V110, '--previous', V100)).toMatchObject({ status: 0, stdout: expect.stringMatching(/matches every change from 1\.0\.0/) });
    expect(run(V110)).toMatchObject({ status: 0, stdout: expect.stringContaining('not compared with 1.0.0; give its file too, or with --previous') });
  });

  it('refuses a changelog that leaves out a change, naming it (exit 1)', () => {
    const document = parse(readFileSync(V110, 'utf8'));
    document.changelog.changes = document.changelog.changes.filter((entry: { keys?: string[] }) => !entry.keys?.includes('OVS-07'));
    writeFileSync(join(scratch, 'untold.yaml'), stringify(document));
    // A relative name is read from the caller's folder.
    const result = run('untold.yaml', '--previous', V100);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('untold.yaml: 1 problem\n  changelog.changes: requirement OVS-07 was added since 1.0.0, but no change names it as added');
    expect(result.stdout).toBe('');
  });

  it('explains how it is used when given no file (exit 2)', () => {
    expect(run('--previous', V100)).toMatchObject({ status: 2, stderr: expect.stringContaining('Usage: npm run code:validate -- FILE.yaml') });
  });
});
