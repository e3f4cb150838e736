/** Verification IDs such as 2026-L2-0001 are looked up as they are, not as words. */
const VERIFICATION_ID = /^\d{4}-L\d+-\d{4,}$/i;

export interface SearchTerms {
  /** The text for `websearch_to_tsquery`: words (in any form: "grooming" finds "groom"), "quoted phrases", or, -not. */
  text: string;
  verificationId: string | null;
}

export function searchTerms(text: string): SearchTerms {
  const trimmed = text.trim();
  return { text: trimmed, verificationId: VERIFICATION_ID.test(trimmed) ? trimmed.toUpperCase() : null };
}
