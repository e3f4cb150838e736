import unhomoglyph from 'unhomoglyph';

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const SPACES = /\s+/gu;

/**
 * The confusable skeleton of Unicode UTS #39 (section 4): NFD, without default-ignorable characters,
 * each character replaced by its prototype from Unicode's confusables.txt, NFD again. Two strings
 * that look alike (`Асme` in Cyrillic, `Acme` in Latin) have the same skeleton. The mapping data is
 * the `unhomoglyph` package's copy of confusables.txt; the steps around it are UTS #39's.
 */
export function confusableSkeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD').replace(DEFAULT_IGNORABLE, '')).normalize('NFD');
}

/**
 * What two names share when a reader could take one for the other, in any case: `Acme`, `ACME`,
 * `Асme` (Cyrillic А and с), `Ａｃｍｅ` and `Acrne` all give `acrne`. Compatibility forms, which
 * confusables.txt does not map (full-width letters, ligatures), are first folded by NFKC. The skeleton
 * is then taken as it is, in upper case, then in lower case, so that letters alike only as capitals
 * (Cyrillic В and Latin B; I and l) and letters alike only as small letters (rn and m) both meet. Runs
 * of spaces of any kind count as one space, as a page shows them. Not for display.
 */
export function nameSkeleton(name: string): string {
  const skeleton = confusableSkeleton(name.normalize('NFKC'));
  return confusableSkeleton(confusableSkeleton(skeleton.toUpperCase()).toLowerCase()).replace(SPACES, ' ').trim();
}
