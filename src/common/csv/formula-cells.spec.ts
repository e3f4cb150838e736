import fc from 'fast-check';
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
