import { EvidenceErrorCode, EvidenceException } from '../evidence.exception';

// Tab, LF, FF and CR are the only control characters text files carry; NUL and the rest mean binary.
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/;

/**
 * Checks that the rest of a file whose beginning read as text is text too, chunk by chunk: bytes of
 * another kind (a picture appended after a page of text) must not pass as text.
 */
export class Utf8Stream {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  /** Throws a 415 at the first chunk that is not UTF-8 text; `last` says no more follows. */
  check(chunk: Uint8Array, last = false): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: !last });
    } catch {
      throw notText();
    }
    if (CONTROL.test(text)) throw notText();
  }
}

function notText(): EvidenceException {
  return new EvidenceException(EvidenceErrorCode.RefusedType, 'file starts as text but goes on with bytes that are not UTF-8 text, which is not accepted as evidence.');
}
