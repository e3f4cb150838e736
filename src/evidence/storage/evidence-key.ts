// Lowercase only: PostgreSQL prints UUIDs and the receiver prints hashes that way, and one object must
// not be reachable under two spellings.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** A key part that is not what it claims to be; checked before any path or object key is built from it. */
export class InvalidEvidenceKey extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEvidenceKey';
  }
}

export function assertEvidenceKey(organizationId: string, sha256: string): void {
  if (typeof organizationId !== 'string' || !UUID.test(organizationId)) {
    throw new InvalidEvidenceKey(`The organization id ${quote(organizationId)} is not a lowercase UUID.`);
  }
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) {
    throw new InvalidEvidenceKey(`The hash ${quote(sha256)} is not 64 lowercase hex characters.`);
  }
}

function quote(value: unknown): string {
  return JSON.stringify(String(value).slice(0, 80));
}
