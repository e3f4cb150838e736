/** How far Adhere opens a container before it gives up; past any of these an upload is a 413. */
export const ARCHIVE_LIMITS = {
  /** Archives inside the upload, counting the upload itself: a ZIP in a ZIP in a ZIP, no deeper. */
  depth: 3,
  /** Entries in all the archives of one upload together. */
  members: 10_000,
  /** Bytes once everything in the upload is expanded, nested archives included. */
  expandedBytes: 1024 ** 3,
  /** How much one entry may expand over its compressed size… */
  ratio: 100,
  /** …once it is larger than this: small files of one repeated character compress far better. */
  ratioFloorBytes: 1024 ** 2,
  /** A nested archive or document is read into memory to be opened: at most this large. */
  nestedBytes: 64 * 1024 ** 2,
} as const;

/** Bytes of a PDF's page and form content decoded in all, to look for inline pictures. */
export const PDF_CONTENT_LIMIT = 128 * 1024 ** 2;

/** PDFs are read whole to be opened: larger ones are not opened (and refused where pictures must be looked for). */
export const PDF_OPEN_LIMIT = 256 * 1024 ** 2;
