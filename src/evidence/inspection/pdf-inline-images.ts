const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((character) => character.charCodeAt(0)));

/**
 * Whether a decoded content stream paints an inline image (`BI … ID … EI`). It reads the stream as
 * tokens, skipping strings, names and comments, so the letters BI inside a text are no image.
 */
export function hasInlineImage(content: Uint8Array): boolean {
  let at = 0;
  const length = content.length;
  while (at < length) {
    const byte = content[at];
    if (WHITESPACE.has(byte)) {
      at += 1;
    } else if (byte === 0x25 /* % */) {
      while (at < length && content[at] !== 0x0a && content[at] !== 0x0d) at += 1;
    } else if (byte === 0x28 /* ( */) {
      at = afterString(content, at);
    } else if (byte === 0x3c /* < */ && content[at + 1] !== 0x3c) {
      while (at < length && content[at] !== 0x3e) at += 1;
      at += 1;
    } else if (DELIMITERS.has(byte)) {
      at += byte === 0x3c || byte === 0x3e ? 2 : 1;
      if (byte === 0x2f /* / */) while (at < length && !WHITESPACE.has(content[at]) && !DELIMITERS.has(content[at])) at += 1;
    } else {
      const start = at;
      while (at < length && !WHITESPACE.has(content[at]) && !DELIMITERS.has(content[at])) at += 1;
      if (at - start === 2 && content[start] === 0x42 /* B */ && content[start + 1] === 0x49 /* I */) return true;
    }
  }
  return false;
}

/** The position after a literal string, whose parentheses nest and may be escaped. */
function afterString(content: Uint8Array, start: number): number {
  let depth = 0;
  for (let at = start; at < content.length; at += 1) {
    const byte = content[at];
    if (byte === 0x5c /* \ */) at += 1;
    else if (byte === 0x28) depth += 1;
    else if (byte === 0x29 && --depth === 0) return at + 1;
  }
  return content.length;
}
