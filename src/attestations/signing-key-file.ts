import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { newSigningKeyPem, signingKeyFromPem, SigningKey } from './signing-key';

/** Where the generated key lives in DATA_DIR; a rotated-out key is kept beside it, named by its id. */
export const KEY_FILE = 'register-signing-key.pem';
export const retiredKeyFile = (kid: string) => `register-signing-key.${kid}.retired.pem`;

/**
 * The register's signing key from DATA_DIR: read when it exists, otherwise generated and written there
 * (mode 0600, atomically). Two instances starting at once over one folder end up with the same key.
 */
export async function readOrCreateKeyFile(dataDir: string): Promise<{ key: SigningKey; file: string; created: boolean }> {
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const staged = stage(dataDir, newSigningKeyPem());
    try {
      // A hard link never replaces a file: if another process wrote the key meanwhile, theirs is kept.
      linkSync(staged, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        if (!linkUnsupported(error)) throw error;
        if (!existsSync(file)) renameSync(staged, file);
      }
    } finally {
      if (existsSync(staged)) unlinkSync(staged);
    }
    syncDirectory(dataDir);
    return { key: await signingKeyFromPem(readFileSync(file, 'utf8'), file), file, created: true };
  }
  return { key: await signingKeyFromPem(readFileSync(file, 'utf8'), file), file, created: false };
}

/**
 * Replaces the key in DATA_DIR with a new one, keeping the previous file as
 * `register-signing-key.<kid>.retired.pem`. Instances sign with the new key once they restart.
 */
export async function rotateKeyFile(dataDir: string): Promise<{ previous: SigningKey | null; next: SigningKey; retiredFile: string | null }> {
  const file = join(dataDir, KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  const previous = existsSync(file) ? await signingKeyFromPem(readFileSync(file, 'utf8'), file) : null;
  const pem = newSigningKeyPem();
  const next = await signingKeyFromPem(pem, 'the new key');
  const staged = stage(dataDir, pem);
  let retiredFile: string | null = null;
  try {
    if (previous) {
      retiredFile = join(dataDir, retiredKeyFile(previous.kid));
      // Kept under its own name first, so that at every moment the key file holds one key or the other.
      if (!existsSync(retiredFile)) writeNew(retiredFile, readFileSync(file, 'utf8'));
    }
    renameSync(staged, file);
  } finally {
    if (existsSync(staged)) unlinkSync(staged);
  }
  syncDirectory(dataDir);
  return { previous, next, retiredFile };
}

/** Writes `content` to a new temporary file in `dataDir`, flushed to disk, readable by the owner only. */
function stage(dataDir: string, content: string): string {
  const staged = join(dataDir, `.${KEY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  writeNew(staged, content);
  return staged;
}

function writeNew(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function linkUnsupported(error: unknown): boolean {
  return ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '');
}

/** Makes the new directory entry durable; some platforms cannot open a directory, which is harmless there. */
function syncDirectory(dataDir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dataDir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (e.g. Windows): the file itself was flushed already.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
