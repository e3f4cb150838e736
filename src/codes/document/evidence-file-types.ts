/*
 * The file types evidence can have, in the words a code's evidence policy uses: named groups, each
 * standing for media types as the upload's detector names them. A policy may name a group or one of
 * its media types. No other type is ever accepted, whatever a code says.
 */

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const ODT = 'application/vnd.oasis.opendocument.text';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const ODP = 'application/vnd.oasis.opendocument.presentation';

export interface FileTypeGroup {
  /** How a reader of the code sees the group. */
  label: string;
  types: readonly string[];
}

export const FILE_TYPE_GROUPS = {
  documents: { label: 'documents: PDF, Word (.docx), OpenDocument text (.odt)', types: ['application/pdf', DOCX, ODT] },
  spreadsheets: { label: 'spreadsheets: Excel (.xlsx), OpenDocument (.ods)', types: [XLSX, ODS] },
  presentations: { label: 'presentations: PowerPoint (.pptx), OpenDocument (.odp)', types: [PPTX, ODP] },
  text: { label: 'UTF-8 plain text, CSV and JSON', types: ['text/plain', 'text/csv', 'application/json'] },
  images: { label: 'images: PNG, JPEG, GIF, WebP, TIFF, HEIC', types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/tiff', 'image/heic', 'image/heif'] },
  archives: { label: 'ZIP archives', types: ['application/zip'] },
  legacy_office: {
    label: 'Word, Excel and PowerPoint 97–2003 files (.doc, .xls, .ppt)',
    types: ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'],
  },
} as const satisfies Record<string, FileTypeGroup>;

export type FileTypeGroupName = keyof typeof FILE_TYPE_GROUPS;
export const FILE_TYPE_GROUP_NAMES = Object.keys(FILE_TYPE_GROUPS) as FileTypeGroupName[];

/** Every media type evidence may have. */
export const ALL_MEDIA_TYPES: readonly string[] = FILE_TYPE_GROUP_NAMES.flatMap((group) => FILE_TYPE_GROUPS[group].types);

/** Office formats that keep their parts in a ZIP container, and PDF: what can be opened and checked for pictures. */
export const INSPECTABLE_DOCUMENT_TYPES: ReadonlySet<string> = new Set(['application/pdf', DOCX, XLSX, PPTX, ODT, ODS, ODP]);
export const ZIP_BASED_TYPES: ReadonlySet<string> = new Set(['application/zip', DOCX, XLSX, PPTX, ODT, ODS, ODP]);

/** Words a policy's `file_types` may use: group names and the media types they stand for. */
export const FILE_TYPE_WORDS: readonly string[] = [...FILE_TYPE_GROUP_NAMES, ...ALL_MEDIA_TYPES];

/** The media types that file type words stand for. */
export function mediaTypesOf(words: readonly string[]): string[] {
  return [...new Set(words.flatMap((word) => (word in FILE_TYPE_GROUPS ? FILE_TYPE_GROUPS[word as FileTypeGroupName].types : [word])))];
}

/** `text/plain; charset=utf-8` → `text/plain`. */
export function essence(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** The group a media type belongs to. */
export function groupOf(mediaType: string): FileTypeGroupName | undefined {
  const wanted = essence(mediaType);
  return FILE_TYPE_GROUP_NAMES.find((group) => (FILE_TYPE_GROUPS[group].types as readonly string[]).includes(wanted));
}

/** UTF-8 plain text, CSV or JSON. */
export function isTextType(contentType: string): boolean {
  return (FILE_TYPE_GROUPS.text.types as readonly string[]).includes(essence(contentType));
}
