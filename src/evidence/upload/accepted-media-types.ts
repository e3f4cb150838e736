import { FILE_TYPE_GROUPS } from '../../codes/document/evidence-file-types';

const TEXT_TYPES: readonly string[] = FILE_TYPE_GROUPS.text.types;
const LEGACY_TYPES: readonly string[] = FILE_TYPE_GROUPS.legacy_office.types;

/** Media types, as file-type names them, that evidence may have besides text; a code's policy may narrow them. */
export const ACCEPTED_BINARY_TYPES: ReadonlySet<string> = new Set(
  Object.values(FILE_TYPE_GROUPS)
    .flatMap((group) => group.types as readonly string[])
    .filter((type) => !TEXT_TYPES.includes(type) && !LEGACY_TYPES.includes(type)),
);

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
