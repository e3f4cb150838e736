import { inflateSync, constants as zlib } from 'node:zlib';
import { decodePDFRawStream, EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFName, PDFObject, PDFRawStream, PDFRef } from 'pdf-lib';
import { EvidenceErrorCode, EvidenceException } from '../evidence.exception';
import { ContentFacts, noFacts } from './content-facts';
import { PDF_CONTENT_LIMIT } from './inspection-limits';
import { hasInlineImage } from './pdf-inline-images';
import { rasterSignatureIn } from './raster-signatures';

const name = (value: string) => PDFName.of(value);
const IMAGE_FILTERS = new Set(['/DCTDecode', '/JPXDecode', '/JBIG2Decode', '/CCITTFaxDecode']);

/**
 * Looks through every object of a PDF for raster pictures: image XObjects wherever they are (pages,
 * forms nested at any depth, annotations, patterns, thumbnails, or referenced by nothing), inline
 * images in every content stream (pages, forms, tiling patterns, Type 3 glyphs), and attached files,
 * which may be anything. An encrypted or damaged PDF cannot be looked through and says so.
 */
export async function pdfFacts(bytes: Uint8Array): Promise<ContentFacts> {
  const facts = noFacts();
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
  } catch (error) {
    // pdf-lib's EncryptedPDFError does not keep its own class once compiled, so its message tells it apart.
    const encrypted = error instanceof EncryptedPDFError || /is encrypted/.test((error as Error).message);
    facts.unreadable = encrypted ? 'the PDF is encrypted' : 'the PDF is damaged or not a PDF Adhere can read';
    return facts;
  }
  const contents = new Set<PDFRawStream>();
  const objects = document.context.enumerateIndirectObjects();
  const resolve = (value: PDFObject | undefined) => (value instanceof PDFRef ? document.context.lookup(value) : value);
  for (const [ref, object] of objects) {
    const dict = object instanceof PDFRawStream ? object.dict : object instanceof PDFDict ? object : undefined;
    if (!dict) continue;
    const type = dict.get(name('Type'));
    const subtype = dict.get(name('Subtype'));
    if (object instanceof PDFRawStream) {
      if (subtype === name('Image') || isBareImage(object)) facts.pictures.push(`image object ${ref.objectNumber}`);
      else if (type === name('EmbeddedFile')) facts.embeddedObjects.push(`attached file (object ${ref.objectNumber})`);
      else if (subtype === name('Form') || dict.get(name('PatternType'))?.toString() === '1') contents.add(object);
    } else if (type === name('Page')) {
      const pageContents = resolve(dict.get(name('Contents')));
      const parts = pageContents instanceof PDFArray ? pageContents.asArray().map(resolve) : [pageContents];
      parts.forEach((part) => part instanceof PDFRawStream && contents.add(part));
    } else if (subtype === name('Type3')) {
      const procs = resolve(dict.get(name('CharProcs')));
      if (procs instanceof PDFDict) procs.values().map(resolve).forEach((proc) => proc instanceof PDFRawStream && contents.add(proc));
    }
  }
  // A picture may ride along outside any object (appended, between objects, in a comment).
  const hidden = rasterSignatureIn(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (hidden && facts.pictures.length === 0) facts.pictures.push(`a ${hidden} picture in the file's bytes`);
  let budget = PDF_CONTENT_LIMIT;
  for (const stream of contents) {
    const decoded = decode(stream, budget);
    if (decoded === undefined) {
      facts.unreadable = 'a content stream of the PDF uses an encoding Adhere cannot read';
      break;
    }
    budget -= decoded.length;
    if (hasInlineImage(decoded)) {
      facts.pictures.push('an inline image in the page content');
      break;
    }
  }
  facts.embedsImages = facts.unreadable ? null : facts.pictures.length + facts.embeddedObjects.length > 0;
  return facts;
}

/** An image without /Subtype, as a thumbnail may be: it has the dimensions and samples of one, or an image filter. */
function isBareImage(stream: PDFRawStream): boolean {
  const dict = stream.dict;
  if (dict.get(name('Width')) && dict.get(name('Height')) && (dict.get(name('BitsPerComponent')) || dict.get(name('ImageMask')))) return true;
  const filter = dict.get(name('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  return filters.some((entry) => IMAGE_FILTERS.has(entry.toString()));
}

/** A content stream's bytes, within the budget (past it, a 413); undefined when its encoding cannot be read. */
function decode(stream: PDFRawStream, budget: number): Uint8Array | undefined {
  const filter = stream.dict.get(name('Filter'));
  const filters = (filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : []).map(String);
  let decoded: Uint8Array;
  try {
    if (filters.length === 0) decoded = stream.contents;
    // Flate, by far the most common, is inflated by zlib with a bound, so a small stream cannot expand without end.
    else if (filters.length === 1 && filters[0] === '/FlateDecode') decoded = inflateSync(stream.contents, { maxOutputLength: Math.max(budget, 1), finishFlush: zlib.Z_SYNC_FLUSH });
    else decoded = decodePDFRawStream(stream).decode();
  } catch (error) {
    if (error instanceof RangeError) throw tooMuchContent();
    return undefined;
  }
  if (decoded.length > budget) throw tooMuchContent();
  return decoded;
}

function tooMuchContent(): EvidenceException {
  return new EvidenceException(
    EvidenceErrorCode.ArchiveTooLarge,
    `file is a PDF whose page content expands to more than ${PDF_CONTENT_LIMIT / 1024 ** 2} MiB, more than Adhere opens to check it.`,
  );
}
