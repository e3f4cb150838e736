import { readFile, stat } from 'node:fs/promises';
import { essence, isTextType, ZIP_BASED_TYPES } from '../../codes/document/evidence-file-types';
import { isUtf8Text } from '../upload/utf8-text';
import { knownType, magicNumberType } from '../upload/detect-content-type';
import { ContentFacts, noFacts } from './content-facts';
import { PDF_OPEN_LIMIT } from './inspection-limits';
import { pdfFacts } from './pdf-pictures';
import { describeBytes } from '../upload/upload-limits';
import { EntryReader, ExpansionBudget, zipFacts } from './zip-contents';

/**
 * Opens a staged file whose type can hold other things (a PDF, an office document, a ZIP archive) and
 * says what is inside; any other file has nothing inside to tell. Nothing is written to disk.
 */
export async function inspectFile(path: string, contentType: string): Promise<ContentFacts> {
  const type = essence(contentType);
  const budget: ExpansionBudget = { members: 0, expandedBytes: 0 };
  const reader = entryReader(budget);
  if (type === 'application/pdf') {
    if ((await stat(path)).size > PDF_OPEN_LIMIT) return { ...noFacts(), unreadable: `the PDF is larger than ${describeBytes(PDF_OPEN_LIMIT)}, more than Adhere opens` };
    return pdfFacts(await readFile(path));
  }
  if (ZIP_BASED_TYPES.has(type)) return zipFacts(path, type, 1, budget, reader);
  return noFacts();
}

function entryReader(budget: ExpansionBudget): EntryReader {
  const reader: EntryReader = {
    async typeOf(sample, name, truncated, bytes) {
      const found = await knownType(sample, name, truncated);
      // Text must be text throughout, not only at its start.
      if (typeof found === 'string' && isTextType(found) && truncated && !(bytes && isUtf8Text(bytes, false))) return null;
      if (typeof found === 'string') return essence(found);
      // A type no policy accepts is still named (image/bmp, application/x-cfb), so pictures and packed objects are recognised.
      return (await magicNumberType(sample)) ?? null;
    },
    async open(bytes, contentType, depth) {
      if (contentType === 'application/pdf') return pdfFacts(bytes);
      return zipFacts(bytes, contentType, depth, budget, reader);
    },
  };
  return reader;
}
