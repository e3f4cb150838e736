/** What was found inside a file when it was opened. */
export interface ContentFacts {
  /** Whether it holds raster pictures or embedded objects; null when it is no container, or could not be opened. */
  embedsImages: boolean | null;
  /** Where the pictures are, for the message that refuses them (`word/media/image1.png`, `page 2`). */
  pictures: string[];
  /** Objects embedded in a document (OLE objects, attached files, archives): they may hold anything. */
  embeddedObjects: string[];
  /** For an archive: every entry with its media type, nested archives' entries included. */
  members: Array<{ name: string; contentType: string | null }> | null;
  /** Why the file could not be opened, when it could not. */
  unreadable: string | null;
  /** The digests of every entry of an archive or document, for the hash lists. */
  digests: Array<{ sha256: string; md5: string }>;
}

export function noFacts(): ContentFacts {
  return { embedsImages: null, pictures: [], embeddedObjects: [], members: null, unreadable: null, digests: [] };
}

/** The media types of an archive's entries, each once; `unrecognised` for what is no known type. */
export function memberTypesOf(facts: ContentFacts): string[] | null {
  return facts.members ? [...new Set(facts.members.map((member) => member.contentType ?? 'unrecognised'))].sort() : null;
}
