import { zipSync, type Zippable } from 'fflate';
import { PDFDocument, PDFName, StandardFonts, rgb } from 'pdf-lib';
import { crc32, deflateSync } from 'node:zlib';

/*
 * Files of every kind a careless provider might upload, built here rather than committed: pictures,
 * recordings, archives (nested, and a bomb), PDFs and office documents with and without pictures.
 */

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const framed = Buffer.alloc(body.length + 8);
  framed.writeUInt32BE(data.length, 0);
  body.copy(framed, 4);
  framed.writeUInt32BE(crc32(body), body.length + 4);
  return framed;
}

/** A valid 2×2 greyscale PNG; `shade` makes distinct pictures. */
export function png(shade = 0x80): Buffer {
  const header = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, shade, shade, 0, shade, shade]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'), Buffer.alloc(64, 1), Buffer.from([0xff, 0xd9])]);
export const gif = () => Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([1, 0, 1, 0, 0, 0, 0]), Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b])]);
export const mp4 = () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1'), Buffer.alloc(64)]);
export function wav(): Buffer {
  const data = Buffer.alloc(64, 0x80);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
/** A Compound File, as Word 97–2003 documents are. */
export const cfb = () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

/** A ZIP archive of these entries, deflated unless `level` is 0. */
export function zip(entries: Record<string, Buffer | string>, level: 0 | 6 = 6): Buffer {
  const files: Zippable = {};
  for (const [name, content] of Object.entries(entries)) files[name] = [typeof content === 'string' ? Buffer.from(content) : content, { level }];
  return Buffer.from(zipSync(files));
}

/** An archive nested `depth` times around a text file. */
export function nestedZip(depth: number): Buffer {
  let inner = zip({ 'notes.txt': 'The innermost file.' });
  for (let level = 1; level < depth; level += 1) inner = zip({ [`level-${level}.zip`]: inner });
  return inner;
}

/** A small archive that expands to `mebibytes` of zeros: a zip bomb. */
export const zipBomb = (mebibytes = 20) => zip({ 'zeros.txt': Buffer.alloc(mebibytes * 1024 ** 2, 0x30) });

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A Word document with these parts besides its text. */
export function docx(parts: Record<string, Buffer | string> = {}): Buffer {
  return zip({
    '[Content_Types].xml': `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="${DOCX_TYPE}.main+xml"/></Types>`,
    '_rels/.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
    'word/document.xml': '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Detection accuracy 2026</w:t></w:r></w:p></w:body></w:document>',
    ...parts,
  });
}

/** A one-page PDF with text and a bar chart drawn as vectors. */
export async function pdfWithText(text = 'Precision 0.97, recall 0.91'): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([300, 200]);
  page.drawText(text, { x: 20, y: 160, size: 12, font: await document.embedFont(StandardFonts.Helvetica) });
  page.drawRectangle({ x: 20, y: 20, width: 40, height: 100, color: rgb(0.2, 0.4, 0.8) });
  page.drawRectangle({ x: 80, y: 20, width: 40, height: 60, color: rgb(0.8, 0.4, 0.2) });
  return Buffer.from(await document.save());
}

/** A PDF showing a picture, drawn on the page or (`nested`) inside a form XObject made from another PDF's page. */
export async function pdfWithPicture(nested = false): Promise<Buffer> {
  const source = await PDFDocument.create();
  const sourcePage = source.addPage([100, 100]);
  sourcePage.drawImage(await source.embedPng(png(0x40)), { x: 0, y: 0, width: 100, height: 100 });
  if (!nested) return Buffer.from(await source.save());
  const document = await PDFDocument.create();
  const [embedded] = await document.embedPdf(await source.save());
  document.addPage([200, 200]).drawPage(embedded, { x: 50, y: 50 });
  return Buffer.from(await document.save());
}

/** A PDF whose page paints an inline image (BI … ID … EI) in a compressed content stream. */
export async function pdfWithInlineImage(): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([100, 100]);
  const content = document.context.flateStream('q 100 0 0 100 0 0 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x80\x40 EI Q');
  page.node.set(PDFName.of('Contents'), document.context.register(content));
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

/** A PDF whose trailer says it is encrypted. */
export async function encryptedPdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([100, 100]);
  document.context.trailerInfo.Encrypt = document.context.obj({ Filter: 'Standard', V: 2, R: 3, Length: 128, P: -4 });
  return Buffer.from(await document.save({ useObjectStreams: false }));
}
