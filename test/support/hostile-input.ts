import fc from 'fast-check';
import { awkwardValues } from './awkward-values';

/**
 * Input a careless or hostile client sends to any endpoint: text that trips naive handling, bodies
 * larger than every parser's limit, keys that reach for Object.prototype, and raw multipart bodies
 * that can be cut short or mislabelled.
 */

/** Text with NUL, lone surrogates, right-to-left overrides, combining marks, joiners and injection attempts. */
export const TRICKY_TEXT = [
  'nul\u0000inside',
  '\u0000',
  'lone \uD800 high',
  'lone \uDC00 low',
  '\u202Eevil\u202C',
  'שלום עולם',
  'مرحبا',
  '👩‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  '\uFEFFbom',
  'zero\u200Bwidth',
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  '%00%ff',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{{constructor.constructor}}',
  'line\r\nX-Injected: 1',
  '=cmd|\' /C calc\'!A0',
] as const;

/** More than a megabyte: beyond the JSON and YAML body limits (1 MB), within the form limit (4 MB). */
export const MEGABYTE_TEXT = 'A'.repeat(1024 * 1024 + 1);
/** Long, but within every body limit, so that the field's own validation judges it. */
export const LONG_TEXT = 'Ω'.repeat(100_000);

/** Any string a client might type or forge; short enough to fit in a URL. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY_TEXT),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ maxLength: 2_000 }),
);

/** A JSON value of the wrong type or shape for any field. */
export const hostileValue: fc.Arbitrary<unknown> = awkwardValues([...TRICKY_TEXT], hostileText, fc.constant(LONG_TEXT), fc.array(hostileText, { maxLength: 3 }));

// ─── Prototype pollution ──────────────────────────────────────────────────────────────────────────────

/** The property a polluting input tries to plant on Object.prototype. */
export const POLLUTION_MARK = 'polluted_by_input';

/** Raw JSON members that would pollute Object.prototype if a body were merged carelessly. */
export const POLLUTING_JSON_MEMBERS = [
  `"__proto__": {"${POLLUTION_MARK}": "yes"}`,
  `"constructor": {"prototype": {"${POLLUTION_MARK}": "yes"}}`,
  `"prototype": {"${POLLUTION_MARK}": "yes"}`,
  `"nested": {"__proto__": {"${POLLUTION_MARK}": "yes"}, "constructor": {"prototype": {"${POLLUTION_MARK}": "yes"}}}`,
] as const;

/** Urlencoded pairs (raw, unescaped brackets) that would pollute through qs-style nesting. */
export const pollutingFormPairs = (field: string): string[] => {
  const name = new URLSearchParams([['', field]]).toString().slice(1);
  return [
    `__proto__[${POLLUTION_MARK}]=1`,
    `__proto__.${POLLUTION_MARK}=1`,
    `constructor[prototype][${POLLUTION_MARK}]=1`,
    `a[__proto__][${POLLUTION_MARK}]=1`,
    `a[constructor][prototype][${POLLUTION_MARK}]=1`,
    `${name}[__proto__][${POLLUTION_MARK}]=1`,
    `${name}[0][__proto__][${POLLUTION_MARK}]=1`,
  ];
};

/** Adds a raw member to the top of a JSON object's text. */
export function withRawMember(objectJson: string, member: string): string {
  return objectJson === '{}' ? `{${member}}` : `{${member},${objectJson.slice(1)}`;
}

/** Everything the process's shared prototypes own now; compare with a later snapshot to see pollution. */
export function prototypeSnapshot(): Record<string, string[]> {
  return {
    object: Object.getOwnPropertyNames(Object.prototype).sort(),
    array: Object.getOwnPropertyNames(Array.prototype).sort(),
    function: Object.getOwnPropertyNames(Function.prototype).sort(),
    string: Object.getOwnPropertyNames(String.prototype).sort(),
    marked: POLLUTION_MARK in {} ? [POLLUTION_MARK] : [],
  };
}

// ─── Multipart ────────────────────────────────────────────────────────────────────────────────────────

export interface Part {
  name: string;
  value: string | Buffer;
  /** Makes the part a file. */
  fileName?: string;
  contentType?: string;
}

/** A multipart/form-data body as bytes; without `close`, the closing boundary is left off. */
export function multipartBody(parts: readonly Part[], boundary: string, close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName === undefined ? '' : `; filename="${part.fileName}"`}`;
    const type = part.contentType ? `\r\nContent-Type: ${part.contentType}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`, 'utf8'));
    chunks.push(typeof part.value === 'string' ? Buffer.from(part.value, 'utf8') : part.value, Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A value as fast-check prints a counterexample: long strings cut, so a failure report stays readable. */
export function abbreviated(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' && item.length > 120 ? `${item.slice(0, 60)}…(${item.length} characters)` : item,
  );
}
