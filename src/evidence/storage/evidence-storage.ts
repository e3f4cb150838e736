import type { Readable } from 'node:stream';

/** An uploaded file, complete on local disk and not yet stored. */
export interface StagedFile {
  /** The fully written staging file on local disk. */
  path: string;
  /** Lowercase hex, computed while the file streamed in. */
  sha256: string;
  /** Bytes. */
  size: number;
  /** Detected from the bytes, never taken from the client. */
  contentType: string;
  /** The sanitised original name. */
  fileName: string;
}

/**
 * Where evidence files live, content-addressed per organization: key = `${organizationId}/${sha256}`.
 * Identical bytes uploaded twice by one organization are stored once; another organization's copy is
 * its own, so no tenant can learn from `created` what another has stored.
 */
export abstract class EvidenceStorage {
  /**
   * Stores a staged file under its hash (moving or copying it) and removes the staging file, also when
   * storing fails. Idempotent: when the object already exists, only the staging file is removed and
   * `created` is false.
   */
  abstract put(organizationId: string, file: StagedFile): Promise<{ created: boolean }>;

  /** A stream of the stored bytes; throws EvidenceObjectMissing when absent. */
  abstract open(organizationId: string, sha256: string): Promise<Readable>;

  abstract exists(organizationId: string, sha256: string): Promise<boolean>;

  /** Removes the object; removing one that is absent is not an error. */
  abstract remove(organizationId: string, sha256: string): Promise<void>;
}
