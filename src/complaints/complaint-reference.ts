import { randomBytes } from 'node:crypto';

/** Crockford's base 32: digits and capitals without I, L, O and U, which are read or typed wrongly. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE = /^C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** A reference people can read out and type, such as C-7K3Q-9MXD: 40 random bits. */
export function newReference(): string {
  // 256 is a multiple of 32, so each character is equally likely.
  const characters = [...randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('');
  return `C-${characters.slice(0, 4)}-${characters.slice(4)}`;
}

/**
 * A reference as typed, in the form it is stored: any case, with or without dashes, spaces or the
 * leading C, and with O, I and L read as the digits they are mistaken for. Anything else is returned
 * upper-cased, to match nothing.
 */
export function normalReference(typed: string): string {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  const body = (compact.length === 9 && compact.startsWith('C') ? compact.slice(1) : compact).replace(/O/g, '0').replace(/[IL]/g, '1');
  const candidate = `C-${body.slice(0, 4)}-${body.slice(4)}`;
  return body.length === 8 && REFERENCE.test(candidate) ? candidate : typed.trim().toUpperCase();
}
