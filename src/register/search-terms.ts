/** Verification IDs such as 2026-L2-0001 are looked up as they are, not as words. */
const VERIFICATION_ID = /^\d{4}-L\d+-\d{4,}$/i;

export interface SearchTerms {
  /** A `to_tsquery` expression of word prefixes, all required; null when the text has no words. */
  tsquery: string | null;
  verificationId: string | null;
}

/**
 * What a visitor typed, as a full-text query. Each word matches as a prefix ("detect" finds
 * "detection"), and only letters and digits reach the query syntax, so no input can break it.
 */
export function searchTerms(text: string): SearchTerms {
  const trimmed = text.trim();
  const words = trimmed.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return {
    tsquery: words.length ? words.slice(0, 12).map((word) => `${word}:*`).join(' & ') : null,
    verificationId: VERIFICATION_ID.test(trimmed) ? trimmed.toUpperCase() : null,
  };
}
