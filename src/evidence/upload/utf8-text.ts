// Tab, LF, FF and CR are the only control characters text files carry; NUL and the rest mean binary.
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/;

/**
 * Whether a sample of a file reads as UTF-8 text (a byte-order mark is fine). `truncated` says the
 * sample is only the file's beginning, in which case a character cut off at its end is fine too.
 */
export function isUtf8Text(sample: Uint8Array, truncated: boolean): boolean {
  let text: string;
  try {
    // `stream: true` holds back an incomplete last sequence instead of calling it an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: truncated });
  } catch {
    return false;
  }
  return !CONTROL.test(text);
}
