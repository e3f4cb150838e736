import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { installedProgram } from './installed-program';

const PACKAGE = '@sparticuz/chromium';

export interface ChromiumExecutable {
  path: string;
  /** Where it came from, for messages. */
  source: string;
  /** Variables the browser needs in its environment besides those of the test. */
  env: Record<string, string>;
}

/**
 * The Chromium the browser tests drive: the one CHROMIUM_PATH names, else Debian's `chromium` when it is
 * on PATH, else the build that ships inside the `@sparticuz/chromium` npm package, so that the tests
 * need nothing but npm.
 */
export async function chromiumExecutable(): Promise<ChromiumExecutable> {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names ${named}, which does not exist.`);
    return { path: named, source: 'CHROMIUM_PATH', env: {} };
  }
  const installed = installedProgram('chromium');
  if (installed) return { path: installed, source: 'the system', env: {} };
  return packagedChromium();
}

/**
 * The package holds its browser brotli-compressed and unpacks it into the temporary directory (about
 * 200 MB, a few seconds). It is unpacked once per version into <tmp>/adhere-chromium-<version>/, in a
 * child process whose TMPDIR is a staging folder that is renamed into place once complete: two test
 * files starting at once each unpack their own and one rename wins, and a run cut short leaves no
 * half-written browser behind. The package unpacks the NSS libraries the browser was built with only
 * on Amazon Linux, which AWS_EXECUTION_ENV makes it believe; the browser then loads those instead of
 * needing the machine's.
 */
async function packagedChromium(): Promise<ChromiumExecutable> {
  const entry = require.resolve(PACKAGE);
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', '..', 'package.json'), 'utf8')) as { version: string };
  const folder = join(tmpdir(), `adhere-chromium-${version}`);
  const found = (): ChromiumExecutable => ({
    path: join(folder, 'chromium'),
    source: `${PACKAGE} ${version}`,
    env: { LD_LIBRARY_PATH: join(folder, 'al2023', 'lib') },
  });
  if (existsSync(join(folder, 'chromium'))) return found();

  const staging = mkdtempSync(`${folder}-unpacking-`);
  try {
    const script = `require(${JSON.stringify(entry)}).executablePath().then((path) => process.stdout.write(path))`;
    await promisify(execFile)(process.execPath, ['-e', script], {
      env: { ...process.env, TMPDIR: staging, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' },
      timeout: 120_000,
    });
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another test file finished unpacking first.
    if (existsSync(join(folder, 'chromium'))) return found();
    throw new Error(`The Chromium of ${PACKAGE} could not be unpacked into ${folder}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return found();
}
