/** Media types, as file-type names them, that evidence may have besides text. */
export const ACCEPTED_BINARY_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/heic',
  'image/heif',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/zip',
]);

/**
 * Legacy Office files are Compound File Binary containers, as are Windows installers (.msi) and
 * Outlook messages; only the name tells them apart, so CFB is taken only under these names.
 */
export const LEGACY_OFFICE_TYPES: ReadonlyMap<string, string> = new Map([
  ['doc', 'application/msword'],
  ['xls', 'application/vnd.ms-excel'],
  ['ppt', 'application/vnd.ms-powerpoint'],
]);

export const ACCEPTED_DESCRIPTION =
  'PDF; PNG, JPEG, GIF, WebP, TIFF or HEIC images; Word, Excel or PowerPoint documents (docx, xlsx, pptx, doc, xls, ppt); ' +
  'OpenDocument files (odt, ods, odp); ZIP archives; UTF-8 plain text, CSV or JSON';
