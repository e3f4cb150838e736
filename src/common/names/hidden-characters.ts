/**
 * Characters a name must not hold, because a reader cannot see them or they change how the text around
 * them is shown: a name with them can pass for another (`Acme\u200B` for `Acme`) or display reversed
 * (U+202E). Each class is a Unicode property, so the list follows the Unicode version of the runtime.
 */
const CLASSES: Array<{ pattern: RegExp; kind: string }> = [
  // Before the invisible ones, which include most of them, for the more telling name.
  { pattern: /\p{Bidi_Control}/u, kind: 'a bidirectional formatting character' },
  { pattern: /\p{Cc}/u, kind: 'a control character' },
  { pattern: /\p{Default_Ignorable_Code_Point}/u, kind: 'an invisible character' },
  { pattern: /[\p{Zl}\p{Zp}]/u, kind: 'a line or paragraph separator' },
  { pattern: /\p{Cs}/u, kind: 'half of a character (an unpaired surrogate)' },
];

/** Names of the characters people meet most, for the message. */
const NAMES: Record<number, string> = {
  0x0009: 'TAB',
  0x000a: 'LINE FEED',
  0x000d: 'CARRIAGE RETURN',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfe0f: 'VARIATION SELECTOR-16',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

export interface HiddenCharacter {
  /** What kind of character it is, with an article ("a control character"). */
  kind: string;
  /** U+XXXX, and the character's name when it is a common one. */
  character: string;
  /** Where it is: 1 for the first character, counted in characters (code points). */
  position: number;
}

/** The first character of `text` that a name must not hold, or undefined. */
export function firstHiddenCharacter(text: string): HiddenCharacter | undefined {
  let position = 0;
  for (const character of text) {
    position += 1;
    const found = CLASSES.find(({ pattern }) => pattern.test(character));
    if (found) {
      const codePoint = character.codePointAt(0)!;
      const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
      return { kind: found.kind, character: NAMES[codePoint] ? `${hex} ${NAMES[codePoint]}` : hex, position };
    }
  }
  return undefined;
}

/** The refusal, for the field `field`: "name must not contain a control character (U+0009 TAB); it is character 5". */
export function hiddenCharacterMessage(field: string, found: HiddenCharacter): string {
  return `${field} must not contain ${found.kind} (${found.character}); it is character ${found.position}`;
}
