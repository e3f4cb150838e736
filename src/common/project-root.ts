import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json, views/ and migrations/, whether running from src/ or dist/. */
export function projectRoot(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('package.json not found above ' + __dirname);
    directory = parent;
  }
  return directory;
}
