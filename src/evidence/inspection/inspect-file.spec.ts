import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfb, docx, encryptedPdf, jpeg, nestedZip, pdfWithInlineImage, pdfWithPicture, pdfWithText, png, zip, zipBomb } from '../../../test/support/evidence-files';
import { EvidenceException } from '../evidence.exception';
import { memberTypesOf } from './content-facts';
import { inspectFile } from './inspect-file';
import { hasInlineImage } from './pdf-inline-images';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ZIP = 'application/zip';

describe('inspectFile', () => {
  let directory: string;
  let count = 0;
  const facts = async (bytes: Buffer, type: string) => {
    const path = join(directory, `file-${(count += 1)}`);
    await writeFile(path, bytes);
    return inspectFile(path, type);
  };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'adhere-inspect-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  describe('PDF', () => {
    it('finds no picture in text and vector drawings', async () => {
      expect(await facts(await pdfWithText(), PDF)).toMatchObject({ embedsImages: false, pictures: [], unreadable: null });
    });

    it('finds a picture drawn on a page, and one inside a form XObject', async () => {
      expect((await facts(await pdfWithPicture(), PDF)).embedsImages).toBe(true);
      expect((await facts(await pdfWithPicture(true), PDF)).pictures).not.toEqual([]);
    });

    it('finds an inline image in a compressed content stream', async () => {
      expect((await facts(await pdfWithInlineImage(), PDF)).pictures).toEqual(['an inline image in the page content']);
    });

    it('finds a picture appended after the end of the document', async () => {
      expect((await facts(Buffer.concat([await pdfWithText(), jpeg()]), PDF)).pictures).toEqual(["a JPEG picture in the file's bytes"]);
    });

    it('cannot open an encrypted PDF, and says so', async () => {
      expect(await facts(await encryptedPdf(), PDF)).toMatchObject({ embedsImages: null, unreadable: 'the PDF is encrypted' });
    });
  });

  describe('office documents', () => {
    it('finds nothing in a document of text', async () => {
      const found = await facts(docx(), DOCX);
      expect(found).toMatchObject({ embedsImages: false, pictures: [], embeddedObjects: [] });
      expect(found.digests).toHaveLength(3);
    });

    it('finds pictures under word/media and embedded objects', async () => {
      expect((await facts(docx({ 'word/media/image1.png': png() }), DOCX)).pictures).toEqual(['word/media/image1.png']);
      expect((await facts(docx({ 'word/embeddings/oleObject1.bin': cfb() }), DOCX)).embeddedObjects).toEqual(['word/embeddings/oleObject1.bin']);
    });

    it('looks through the workbook a chart keeps its data in, and finds a picture there', async () => {
      const workbook = zip({ '[Content_Types].xml': '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>', 'xl/workbook.xml': '<workbook/>' });
      const chart = { 'word/charts/chart1.xml': '<c:chartSpace/>', 'word/embeddings/Microsoft_Excel_Worksheet.xlsx': workbook };
      expect(await facts(docx(chart), DOCX)).toMatchObject({ embedsImages: false, pictures: [], embeddedObjects: [] });
      const withPicture = zip({ '[Content_Types].xml': '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>', 'xl/workbook.xml': '<workbook/>', 'xl/media/image1.png': png() });
      expect((await facts(docx({ 'word/embeddings/Microsoft_Excel_Worksheet.xlsx': withPicture }), DOCX)).pictures).toEqual(['word/embeddings/Microsoft_Excel_Worksheet.xlsx: xl/media/image1.png']);
    });

    it('finds a picture by its bytes wherever it is named', async () => {
      expect((await facts(docx({ 'customXml/item9.xml': jpeg() }), DOCX)).pictures).toEqual(['customXml/item9.xml']);
    });
  });

  describe('archives', () => {
    it('lists every entry with its type, nested archives opened', async () => {
      const archive = zip({ 'a.txt': 'hello', 'inner.zip': zip({ 'b.pdf': await pdfWithText(), 'c.png': png() }) });
      const found = await facts(archive, ZIP);
      expect(found.members).toEqual([
        { name: 'a.txt', contentType: 'text/plain' },
        { name: 'inner.zip', contentType: ZIP },
        { name: 'inner.zip/b.pdf', contentType: PDF },
        { name: 'inner.zip/c.png', contentType: 'image/png' },
      ]);
      expect(memberTypesOf(found)).toEqual([PDF, ZIP, 'image/png', 'text/plain']);
      expect(found.embedsImages).toBe(true);
      expect(found.digests).toHaveLength(4);
    });

    it('opens archives three deep and refuses a fourth level with 413', async () => {
      expect((await facts(nestedZip(3), ZIP)).members).toHaveLength(3);
      const error = await facts(nestedZip(4), ZIP).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EvidenceException);
      expect((error as EvidenceException).status).toBe(413);
      expect((error as Error).message).toContain('nests archives more than 3 deep');
    });

    it('refuses a zip bomb with 413 before expanding it', async () => {
      const error = await facts(zipBomb(), ZIP).catch((caught: unknown) => caught);
      expect((error as EvidenceException).status).toBe(413);
      expect((error as Error).message).toMatch(/expands [\d,]+ times over its compressed size/);
    });

    it('names an entry that is text only at its start as unrecognised', async () => {
      const text = Buffer.concat([Buffer.alloc(70_000, 'a'), jpeg()]);
      expect((await facts(zip({ 'notes.txt': text }), ZIP)).members).toEqual([{ name: 'notes.txt', contentType: null }]);
    });
  });
});

describe('hasInlineImage', () => {
  it.each([
    ['an inline image', 'q BI /W 1 /H 1 ID x EI Q', true],
    ['the letters in a string', '(BI and ID) Tj', false],
    ['the letters in a nested, escaped string', '(a \\( (BI) \\) b) Tj', false],
    ['a name', '/BI gs', false],
    ['a comment', '% BI\n0 0 m', false],
    ['a longer operator', 'BIX 0 0 m', false],
  ])('%s: %s', (_what, content, expected) => {
    expect(hasInlineImage(Buffer.from(content, 'latin1'))).toBe(expected);
  });
});
