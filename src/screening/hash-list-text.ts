const DIGEST = /^([0-9a-f]{32}|[0-9a-f]{64})$/i;
const SHOWN_PROBLEMS = 5;

export interface ParsedHashList {
  /** Lower-case hex, each once: SHA-256 (64 digits) and MD5 (32 digits). */
  digests: string[];
  /** Lines that are neither a digest, a comment nor blank, by line number. */
  problems: string[];
}

/**
 * Reads a hash list as hotlines hand them out: one digest per line, SHA-256 or MD5 in hex, in any
 * case; a line may go on after the digest (a file name, a category), separated by a space, a tab or a
 * comma. Blank lines and lines starting with `#` or `//` are comments.
 */
export function parseHashList(text: string): ParsedHashList {
  const digests = new Set<string>();
  const problems: string[] = [];
  let badLines = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
    const first = line.split(/[\s,;]/, 1)[0];
    if (DIGEST.test(first)) {
      digests.add(first.toLowerCase());
      return;
    }
    badLines += 1;
    if (problems.length < SHOWN_PROBLEMS) problems.push(`line ${index + 1}: ${JSON.stringify(first.slice(0, 80))} is not a SHA-256 or MD5 digest in hex`);
  });
  if (badLines > SHOWN_PROBLEMS) problems.push(`and ${badLines - SHOWN_PROBLEMS} more lines like these`);
  return { digests: [...digests], problems };
}

/** 64 hex digits are a SHA-256, 32 an MD5. */
export function algorithmOf(digest: string): 'sha256' | 'md5' {
  return digest.length === 64 ? 'sha256' : 'md5';
}
