import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleStagingFiles } from './stale-staging-files';

describe('removeStaleStagingFiles', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'adhere-staging-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('removes only files untouched for longer than the age given', async () => {
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    await writeFile(join(directory, 'abandoned'), 'partial');
    await utimes(join(directory, 'abandoned'), new Date(now - 2 * day), new Date(now - 2 * day));
    await writeFile(join(directory, 'in-progress'), 'partial');
    await mkdir(join(directory, 'a-folder'));
    await utimes(join(directory, 'a-folder'), new Date(now - 2 * day), new Date(now - 2 * day));

    await expect(removeStaleStagingFiles(directory, day, now)).resolves.toBe(1);
    expect((await readdir(directory)).sort()).toEqual(['a-folder', 'in-progress']);
  });

  it('finds nothing to do when no upload ever ran', async () => {
    await expect(removeStaleStagingFiles(join(directory, 'missing'), 1000)).resolves.toBe(0);
  });
});
