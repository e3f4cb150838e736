const MAX_LENGTH = 200;
// An extension longer than this is part of the name, not a type hint worth keeping when cutting.
const MAX_EXTENSION_LENGTH = 16;

/**
 * The name a provider's file is shown and downloaded under. The original is the client's word: it may
 * carry a path, control or bidirectional-override characters (`invoice\u202Efdp.exe` shows as
 * `invoiceexe.pdf`), or quotes that break a Content-Disposition header, so all of those go.
 */
export function sanitizeFileName(original: string): string {
  let name = original.normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name
    // Control, format (bidi overrides, zero-width) and lone surrogate code points.
    .replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '')
    .replace(/["'`;]/g, '')
    .replace(/[\s\p{Z}]+/gu, ' ')
    .trim();
  if (/^\.*$/.test(name)) return 'file';
  return truncate(name);
}

function truncate(name: string): string {
  const characters = Array.from(name);
  if (characters.length <= MAX_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= MAX_EXTENSION_LENGTH ? name.slice(dot) : '';
  const stem = characters.slice(0, MAX_LENGTH - Array.from(extension).length).join('').trimEnd();
  return stem + extension;
}
