import fc from 'fast-check';
import type { AssessmentDetail } from './assessment-detail';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { assessmentCsv, CSV_COLUMNS, type ImportedRow, readAnswersCsv } from './assessment-transfer';
import { CLAIMS, type Claim } from './entities/answer.entity';

interface Row {
  key: string;
  claim: Claim | null;
  statement: string | null;
  justification: string | null;
  evidenceIds: string[];
  version: number;
}

/** Every row of a file, read as an import reads it. */
async function readAll(text: string): Promise<ImportedRow[]> {
  const rows: ImportedRow[] = [];
  for await (const row of readAnswersCsv(text)) rows.push(row);
  return rows;
}

/** The problem an import reports with a file it refuses as a whole. */
async function problemOf(text: string): Promise<string> {
  const error = await readAll(text).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof InvalidInputException)) throw new Error(`expected the file to be refused, got ${String(error)}`);
  return error.fields.file[0];
}

/** Just what the export reads of an assessment. */
function detailOf(rows: Row[]): AssessmentDetail {
  return {
    answers: rows.map((row) => ({
      answer: { requirementKey: row.key, claim: row.claim, statement: row.statement, justification: row.justification, version: row.version },
      requirement: { key: row.key, title: `Title of ${row.key}` },
      sectionKey: row.key.split('-')[0],
      evidence: row.evidenceIds.map((id) => ({ evidence: { id } })),
    })),
  } as unknown as AssessmentDetail;
}

/** Text of every kind, often starting like a formula or an apostrophe, the cases the export must defuse and undo. */
const text = fc.option(
  fc
    .tuple(fc.constantFrom('', '=', '+', '-', '@', "'", "'=", "''+", '\t'), fc.string({ unit: 'grapheme', maxLength: 60 }))
    .map(([start, rest]) => start + rest)
    .filter((value) => value !== '' && !value.includes('\0')),
  { nil: null },
);
const rowArb = fc.record({
  key: fc.stringMatching(/^[A-Z]{2,4}-\d{2}$/),
  claim: fc.option(fc.constantFrom(...CLAIMS), { nil: null }),
  statement: text,
  justification: text,
  evidenceIds: fc.array(fc.uuid(), { maxLength: 3 }),
  version: fc.integer({ min: 1, max: 10_000 }),
});

describe('exporting and importing answers as CSV', () => {
  it('reads back every value it wrote, whatever the text holds (quotes, commas, line breaks, formulas)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(rowArb, { selector: (row) => row.key, minLength: 1, maxLength: 8 }), async (rows) => {
        const parsed = await readAll(assessmentCsv(detailOf(rows)));
        expect(parsed.map((row) => row.values)).toEqual(
          rows.map((row) => ({
            requirement_key: row.key,
            claim: row.claim ?? '',
            statement: row.statement ?? '',
            justification: row.justification ?? '',
            evidence_ids: row.evidenceIds.join(' '),
            version: String(row.version),
          })),
        );
      }),
    );
  });

  it('starts a cell that a spreadsheet would run as a formula with an apostrophe', () => {
    const csv = assessmentCsv(detailOf([{ key: 'LIC-01', claim: 'met', statement: '=HYPERLINK("http://evil.example")', justification: '+1', evidenceIds: [], version: 1 }]));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csv).toContain(`,'+1,`);
  });

  it('keeps text that itself starts with an apostrophe and a formula sign as it was', async () => {
    const [parsed] = await readAll(assessmentCsv(detailOf([{ key: 'LIC-01', claim: null, statement: "'=1+1", justification: "'plain", evidenceIds: [], version: 1 }])));
    expect(parsed.values).toMatchObject({ statement: "'=1+1", justification: "'plain" });
  });

  it('numbers rows as a spreadsheet does: the header is row 1, a cell over several lines is one row, an empty row counts', async () => {
    const parsed = await readAll(`${CSV_COLUMNS.join(',')}\nPUR,PUR-01,T,met,"two\nlines",,,1\n\nPUR,PUR-02,T,met,s,,,1\n`);
    expect(parsed.map((row) => row.row)).toEqual([2, 4]);
  });

  it('reads a file far larger than one piece handed to the parser, a cell spanning pieces included, row by row', async () => {
    const long = 'x'.repeat(40_000);
    const lines = Array.from({ length: 3_000 }, (_, n) => `PUR-${n},met,"${n === 1_500 ? long : 'Done'}",,,1`);
    const parsed = await readAll(['requirement_key,claim,statement,justification,evidence_ids,version', ...lines].join('\n'));
    expect(parsed).toHaveLength(3_000);
    expect(parsed[2_999]).toEqual({ row: 3_001, values: { requirement_key: 'PUR-2999', claim: 'met', statement: 'Done', justification: '', evidence_ids: '', version: '1' } });
    expect(parsed[1_500].values.statement).toBe(long);
  });

  it('takes a file without the columns only people read, and ignores a byte-order mark', async () => {
    const [parsed] = await readAll('\uFEFFrequirement_key,claim,statement,justification,evidence_ids,version\nPUR-01,met,Done,,,2\n');
    expect(parsed.values).toEqual({ requirement_key: 'PUR-01', claim: 'met', statement: 'Done', justification: '', evidence_ids: '', version: '2' });
  });

  it('refuses a file that lacks a column, with the columns it needs', async () => {
    expect(await problemOf('requirement_key,claim\nPUR-01,met\n')).toBe(
      'The file lacks the columns statement, justification, evidence_ids, version; export the assessment as CSV to see the expected columns.',
    );
  });

  it('refuses a file that is not CSV, or is empty', async () => {
    expect(await problemOf('requirement_key,claim,statement,justification,evidence_ids,version\n"unterminated,met,,,,1\n')).toMatch(/^The file is not valid CSV: /);
    expect(await problemOf('')).toMatch(/^The file has no rows/);
  });
});
