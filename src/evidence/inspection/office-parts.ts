/*
 * Where office formats keep pictures and embedded objects. OOXML (docx, xlsx, pptx) keeps pictures
 * under word/media, xl/media and ppt/media, OLE objects and embedded packages under …/embeddings, and
 * an optional preview in docProps/thumbnail.*; OpenDocument keeps pictures under Pictures/ and a
 * preview in Thumbnails/. Drawings and charts are XML parts and are none of these.
 */
const PICTURE_PARTS = [/^(word|xl|ppt)\/media\//i, /^Pictures\//, /^docProps\/thumbnail\./i, /^Thumbnails\//];
const OBJECT_PARTS = [/^(word|xl|ppt)\/embeddings\//i, /^(word|xl|ppt)\/activeX\//i];

export function isPicturePart(name: string): boolean {
  return PICTURE_PARTS.some((pattern) => pattern.test(name));
}

export function isObjectPart(name: string): boolean {
  return OBJECT_PARTS.some((pattern) => pattern.test(name));
}

/** Media types that show something to the eye, or that stand for something else packed inside. */
export function isPictureType(mediaType: string): boolean {
  return /^(image|video)\//.test(mediaType);
}

export function isPackedType(mediaType: string): boolean {
  return /^application\/(zip|x-7z-compressed|x-rar-compressed|vnd\.rar|gzip|x-bzip2|x-xz|x-tar|x-cfb|zstd|x-lzh-compressed|java-archive)$/.test(mediaType);
}
