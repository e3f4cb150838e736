import { firstHiddenCharacter, hiddenCharacterMessage } from './hidden-characters';

describe('characters a name must not hold', () => {
  it.each([
    ['\u0000', 'a control character'],
    ['\u0009', 'a control character'],
    ['\u001B', 'a control character'],
    ['\u007F', 'a control character'],
    ['\u0085', 'a control character'],
    ['\u009B', 'a control character'],
    ['\u061C', 'a bidirectional formatting character'],
    ['\u200E', 'a bidirectional formatting character'],
    ['\u200F', 'a bidirectional formatting character'],
    ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'].map((c) => [c, 'a bidirectional formatting character']),
    ...['\u00AD', '\u034F', '\u115F', '\u180E', '\u200B', '\u200C', '\u200D', '\u2060', '\u2064', '\u3164', '\uFE00', '\uFE0F', '\uFEFF', '\uFFA0', '\u{E0001}', '\u{E0100}'].map((c) => [c, 'an invisible character']),
    ['\u2028', 'a line or paragraph separator'],
    ['\u2029', 'a line or paragraph separator'],
    ['\uD800', 'half of a character (an unpaired surrogate)'],
  ])('finds %j: %s', (character, kind) => {
    expect(firstHiddenCharacter(`Ac${character}me`)).toMatchObject({ kind, position: 3 });
  });

  it('says which character it is and where, counting characters rather than UTF-16 units', () => {
    const found = firstHiddenCharacter('\u{1F600}ab\u202Ecd')!;
    expect(found).toEqual({ kind: 'a bidirectional formatting character', character: 'U+202E RIGHT-TO-LEFT OVERRIDE', position: 4 });
    expect(hiddenCharacterMessage('name', found)).toBe('name must not contain a bidirectional formatting character (U+202E RIGHT-TO-LEFT OVERRIDE); it is character 4');
    expect(firstHiddenCharacter('a\u{E0041}')).toMatchObject({ character: 'U+E0041', position: 2 });
  });

  it('accepts names in any script, with accents, spaces and punctuation', () => {
    for (const name of ['Acme Ltd.', 'Société Générale S.A.', 'שלום עולם', 'مرحبا', '株式会社テスト', 'Ελληνικά & Co', 'e\u0301\u0301', 'Ação — Ödön', 'Fünf 5 (€)', '\u00A0']) {
      expect(firstHiddenCharacter(name)).toBeUndefined();
    }
  });
});
