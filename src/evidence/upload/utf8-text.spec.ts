import { isUtf8Text } from './utf8-text';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('isUtf8Text', () => {
  it.each([
    ['plain ASCII', bytes('Requirement LIC-01 is met.\n')],
    ['tabs, CRLF and form feed', bytes('a\tb\r\nc\fd')],
    ['accents, CJK and emoji', bytes('Größe, 日本語, 😀')],
    ['a UTF-8 byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('id,name\n')])],
    ['nothing but a BOM', Buffer.from([0xef, 0xbb, 0xbf])],
  ])('accepts %s', (_name, sample) => {
    expect(isUtf8Text(sample, false)).toBe(true);
  });

  it.each([
    ['a NUL byte', bytes('abc\u0000def')],
    ['an escape sequence', bytes('\u001b[31mred')],
    ['DEL', bytes('a\u007fb')],
    ['a C1 control', bytes('a\u0085b')],
    ['Latin-1 bytes', Buffer.from('caf\xe9', 'latin1')],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['a UTF-16 surrogate encoded in UTF-8', Buffer.from([0xed, 0xa0, 0x80])],
    ['UTF-16 text', Buffer.from('\ufeffhello', 'utf16le')],
  ])('refuses %s', (_name, sample) => {
    expect(isUtf8Text(sample, false)).toBe(false);
  });

  it('accepts a character cut at the end of a sample, but not at the end of a whole file', () => {
    const cut = bytes('fine 😀').subarray(0, -2);
    expect(isUtf8Text(cut, true)).toBe(true);
    expect(isUtf8Text(cut, false)).toBe(false);
  });

  it('still refuses an invalid sequence in the middle of a sample', () => {
    const sample = Buffer.concat([bytes('ok '), Buffer.from([0xff]), bytes(' more')]);
    expect(isUtf8Text(sample, true)).toBe(false);
  });
});
