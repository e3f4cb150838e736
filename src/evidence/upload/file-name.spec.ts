import { sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['C:\\Users\\ana\\Desktop\\DPIA 2025.docx', 'DPIA 2025.docx'],
    ['../../etc/passwd', 'passwd'],
    ['folder/sub\\mixed/name.txt', 'name.txt'],
    ['a"b\'c`d;e.pdf', 'abcde.pdf'],
    ['line\r\nbreak\u0000nul\u0007bell.txt', 'linebreaknulbell.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['zero\u200Bwidth\uFEFF.csv', 'zerowidth.csv'],
    ['  lots \t of\u00A0\u2003 space  .json ', 'lots of space .json'],
    ['', 'file'],
    ['   ', 'file'],
    ['..', 'file'],
    ['dir/', 'file'],
    ['\u0000\u0001', 'file'],
    ['.hidden', '.hidden'],
  ])('%j becomes %j', (original, expected) => {
    expect(sanitizeFileName(original)).toBe(expected);
  });

  it('normalises to NFC, so the same name typed on two systems is one string', () => {
    const decomposed = 'Cafe\u0301.pdf';
    expect(sanitizeFileName(decomposed)).toBe('Caf\u00E9.pdf');
    expect(sanitizeFileName(decomposed)).toHaveLength(8);
  });

  it('cuts a long name to 200 characters and keeps the extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(300)}.xlsx`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('x.xlsx')).toBe(true);
  });

  it('counts characters, not UTF-16 units, and never splits one', () => {
    const name = sanitizeFileName(`${'😀'.repeat(250)}.pdf`);
    expect(Array.from(name)).toHaveLength(200);
    expect(name.endsWith('😀.pdf')).toBe(true);
    expect(/\p{Cs}/u.test(name)).toBe(false);
  });

  it('does not mistake a long dotted tail for an extension', () => {
    const name = sanitizeFileName(`report.${'y'.repeat(250)}`);
    expect(name).toBe(`report.${'y'.repeat(193)}`);
  });
});
