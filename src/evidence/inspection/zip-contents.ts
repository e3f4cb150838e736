import { createHash } from 'node:crypto';
import yauzl, { Entry, ZipFile } from 'yauzl';
import { INSPECTABLE_DOCUMENT_TYPES, ZIP_BASED_TYPES } from '../../codes/document/evidence-file-types';
import { EvidenceErrorCode, EvidenceException } from '../evidence.exception';
import { describeBytes } from '../upload/upload-limits';
import { SAMPLE_BYTES } from '../upload/detect-content-type';
import { ContentFacts, noFacts } from './content-facts';
import { ARCHIVE_LIMITS } from './inspection-limits';
import { isObjectPart, isPackedType, isPicturePart, isPictureType } from './office-parts';
import { rasterSignatureIn, rasterSignatureInFile } from './raster-signatures';

/** What one upload has used of the limits so far, across every archive inside it. */
export interface ExpansionBudget {
  members: number;
  expandedBytes: number;
}

/** What to do with an entry once its bytes are read: tell its type, and open it when it is a container. */
export interface EntryReader {
  /** The entry's type from its first bytes; `bytes`, when read whole, lets text be checked throughout. */
  typeOf(sample: Buffer, name: string, truncated: boolean, bytes?: Buffer): Promise<string | null>;
  open(bytes: Buffer, contentType: string, depth: number): Promise<ContentFacts>;
}

/**
 * Opens a ZIP container from its central directory, without writing anything to disk, and reads each
 * entry once: hashed for the hash lists, its type told from its first bytes. An office document's
 * entries are looked at for pictures and embedded objects; an archive's entries are listed with their
 * types, and containers among them are opened in turn, down to the depth limit. Counts, sizes and
 * expansion ratios are checked against the limits before an entry is read, and again while it is.
 */
export async function zipFacts(source: string | Buffer, contentType: string, depth: number, budget: ExpansionBudget, reader: EntryReader): Promise<ContentFacts> {
  const facts = noFacts();
  // Everything is treated as an archive but the office formats, whose parts are looked at for pictures.
  const office = contentType !== 'application/zip';
  if (!office) facts.members = [];
  let zip: ZipFile;
  try {
    const options = { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false };
    zip = typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(source, options);
  } catch {
    facts.unreadable = office ? 'the document is damaged: its parts cannot be read' : 'the archive is damaged and cannot be read';
    return facts;
  }
  // The container's own bytes: a picture may sit before, between or after its entries, or in its comment.
  const hidden = typeof source === 'string' ? await rasterSignatureInFile(source) : rasterSignatureIn(source);
  if (hidden) facts.pictures.push(`a ${hidden} picture in the file's bytes`);
  try {
    budget.members += zip.entryCount;
    if (budget.members > ARCHIVE_LIMITS.members) throw tooLarge(`holds more than ${ARCHIVE_LIMITS.members.toLocaleString('en-US')} entries`);
    for await (const entry of entriesOf(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      if (entry.isEncrypted()) {
        facts.unreadable = `${entry.fileName} is encrypted, so it cannot be checked`;
        return facts;
      }
      checkDeclaredSize(entry, budget);
      const read = await readEntry(zip, entry).catch((error: unknown) => {
        // yauzl stops an entry that runs past the size it declared: a trick of zip bombs.
        if (error instanceof Error && /too many bytes/.test(error.message)) throw tooLarge(`holds ${entry.fileName}, which expands past the size it declares`);
        return undefined;
      });
      if (!read) {
        facts.unreadable = `${entry.fileName} is damaged and cannot be read`;
        return facts;
      }
      const { sample, bytes, sha256, md5, size } = read;
      facts.digests.push({ sha256, md5 });
      if (size === 0) continue;
      const type = await reader.typeOf(sample, entry.fileName, size > sample.length, bytes);
      const carried = bytes && !(type && isPictureType(type)) ? rasterSignatureIn(bytes) : undefined;
      if (carried) facts.pictures.push(`${entry.fileName}: a ${carried} picture inside`);
      if (office) {
        if (isPicturePart(entry.fileName) || (type && isPictureType(type))) facts.pictures.push(entry.fileName);
        // A chart keeps its data in an embedded workbook: an office document of its own, looked through in turn.
        else if (type && type !== 'application/zip' && ZIP_BASED_TYPES.has(type) && bytes && depth < ARCHIVE_LIMITS.depth) addInner(facts, entry.fileName, await reader.open(bytes, type, depth + 1));
        else if (isObjectPart(entry.fileName) || (type && isPackedType(type))) facts.embeddedObjects.push(entry.fileName);
        continue;
      }
      facts.members!.push({ name: entry.fileName, contentType: type });
      if (type && (ZIP_BASED_TYPES.has(type) || INSPECTABLE_DOCUMENT_TYPES.has(type))) {
        if (type === 'application/zip' && depth + 1 > ARCHIVE_LIMITS.depth) throw tooLarge(`nests archives more than ${ARCHIVE_LIMITS.depth} deep`);
        if (!bytes) throw tooLarge(`holds ${entry.fileName}, larger than the ${describeBytes(ARCHIVE_LIMITS.nestedBytes)} Adhere opens inside an archive`);
        addInner(facts, entry.fileName, await reader.open(bytes, type, depth + 1));
      } else if (type && isPictureType(type)) {
        facts.pictures.push(entry.fileName);
      }
    }
  } finally {
    zip.close();
  }
  facts.embedsImages = facts.unreadable ? null : facts.pictures.length + facts.embeddedObjects.length > 0;
  return facts;
}

/** What a container inside the file holds, named by where it is. */
function addInner(facts: ContentFacts, name: string, inner: ContentFacts): void {
  facts.digests.push(...inner.digests);
  facts.pictures.push(...inner.pictures.map((where) => `${name}: ${where}`));
  facts.embeddedObjects.push(...inner.embeddedObjects.map((where) => `${name}: ${where}`));
  if (facts.members) facts.members.push(...(inner.members ?? []).map((member) => ({ ...member, name: `${name}/${member.name}` })));
  if (inner.unreadable) facts.unreadable ??= `${name}: ${inner.unreadable}`;
}

/** Refuses, before reading it, an entry that says it expands past the limits; what it really expands to is checked as it is read. */
function checkDeclaredSize(entry: Entry, budget: ExpansionBudget): void {
  budget.expandedBytes += entry.uncompressedSize;
  if (budget.expandedBytes > ARCHIVE_LIMITS.expandedBytes) throw tooLarge(`expands to more than ${describeBytes(ARCHIVE_LIMITS.expandedBytes)}`);
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (entry.uncompressedSize > ARCHIVE_LIMITS.ratioFloorBytes && ratio > ARCHIVE_LIMITS.ratio) {
    throw tooLarge(`holds ${entry.fileName}, which expands ${Math.round(ratio).toLocaleString('en-US')} times over its compressed size (at most ${ARCHIVE_LIMITS.ratio} is opened)`);
  }
}

/** Reads an entry through: its digests, its first bytes and, when it is small enough to be opened, all of it. */
async function readEntry(zip: ZipFile, entry: Entry) {
  const keep = entry.uncompressedSize <= ARCHIVE_LIMITS.nestedBytes;
  const stream = await zip.openReadStreamPromise(entry);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    sha256.update(chunk);
    md5.update(chunk);
    if (keep || size - chunk.length < SAMPLE_BYTES) kept.push(chunk);
  }
  const all = Buffer.concat(kept);
  return { sample: all.subarray(0, SAMPLE_BYTES), bytes: keep ? all : undefined, sha256: sha256.digest('hex'), md5: md5.digest('hex'), size };
}

async function* entriesOf(zip: ZipFile): AsyncGenerator<Entry> {
  for (;;) {
    const entry = await new Promise<Entry | null>((resolve, reject) => {
      const done = (value: Entry | null, error?: unknown) => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
        if (error) reject(error);
        else resolve(value);
      };
      const onEntry = (found: Entry) => done(found);
      const onEnd = () => done(null);
      const onError = (error: unknown) => done(null, error);
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}

function tooLarge(what: string): EvidenceException {
  return new EvidenceException(EvidenceErrorCode.ArchiveTooLarge, `file ${what}, beyond what Adhere opens to check it; send fewer or smaller files.`);
}
