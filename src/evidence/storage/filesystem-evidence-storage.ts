import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { assertEvidenceKey } from './evidence-key';
import { EvidenceObjectMissing } from './evidence-object-missing.error';
import { EvidenceStorage, StagedFile } from './evidence-storage';

// Filesystems that cannot hard-link answer with one of these; they still rename atomically.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Evidence under `<root>/<organizationId>/<sha256[0..2]>/<sha256>`; the two-letter level keeps folders small. */
export class FilesystemEvidenceStorage extends EvidenceStorage {
  constructor(private readonly root: string) {
    super();
  }

  async put(organizationId: string, file: StagedFile): Promise<{ created: boolean }> {
    try {
      const target = this.pathOf(organizationId, file.sha256);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      try {
        return { created: await placeOnce(file.path, target) };
      } catch (error) {
        if (error.code !== 'EXDEV') throw error;
        // The staging folder is on another filesystem: copy next to the target first, so the final
        // name still only ever appears with the whole file behind it.
        const temporary = join(dirname(target), `.${randomUUID()}.partial`);
        try {
          await copyFile(file.path, temporary, constants.COPYFILE_EXCL);
          return { created: await placeOnce(temporary, target) };
        } finally {
          await rm(temporary, { force: true });
        }
      }
    } finally {
      await rm(file.path, { force: true });
    }
  }

  async open(organizationId: string, sha256: string): Promise<Readable> {
    const path = this.pathOf(organizationId, sha256);
    try {
      // Opened before it is returned, so a missing file is an error here and not an 'error' event later.
      const handle = await open(path, 'r');
      return handle.createReadStream();
    } catch (error) {
      if (error.code === 'ENOENT') throw new EvidenceObjectMissing(organizationId, sha256);
      throw error;
    }
  }

  async exists(organizationId: string, sha256: string): Promise<boolean> {
    return isFile(this.pathOf(organizationId, sha256));
  }

  async remove(organizationId: string, sha256: string): Promise<void> {
    await rm(this.pathOf(organizationId, sha256), { force: true });
  }

  private pathOf(organizationId: string, sha256: string): string {
    assertEvidenceKey(organizationId, sha256);
    return join(this.root, organizationId, sha256.slice(0, 2), sha256);
  }
}

/**
 * Gives `source` the name `target` unless that name is taken; never replaces a stored file. A hard
 * link is atomic and fails when the name exists, so two uploads of the same bytes racing each other
 * get one `true` and one `false`. `source` is left for the caller to remove.
 */
async function placeOnce(source: string, target: string): Promise<boolean> {
  try {
    await link(source, target);
    return true;
  } catch (error) {
    if (error.code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(error.code)) throw error;
  }
  if (await isFile(target)) return false;
  await rename(source, target);
  return true;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (error.code === 'ENOENT') return false;
    throw error;
  }
}
