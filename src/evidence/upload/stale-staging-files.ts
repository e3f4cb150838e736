import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Removes staging files untouched for longer than `maxAgeMs`: what an upload leaves behind when the
 * process dies in the middle of it. A live upload writes to its file all the time, and a finished one
 * is stored or removed within its request, so neither is ever that old. Returns how many went.
 */
export async function removeStaleStagingFiles(directory: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(directory, name);
    try {
      const info = await stat(path);
      if (!info.isFile() || now - info.mtimeMs <= maxAgeMs) continue;
      await rm(path, { force: true });
      removed++;
    } catch (error) {
      // Stored or removed by its own request meanwhile.
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
