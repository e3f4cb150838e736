import type { PublicEntry } from '../register/public-entry';
import type { RegisterStatus } from '../register/entities/register-entry.entity';

/** The protected header's `typ`: says what the token is, so that no other token signed with the key passes for one. */
export const ATTESTATION_TYPE = 'adhere-attestation+jwt';
export const ATTESTATION_ALGORITHM = 'EdDSA';

/** What an attestation states about a register entry, as it stood when the attestation was signed. */
export interface AttestationClaims {
  /** The service's public address (PUBLIC_URL). */
  iss: string;
  /** The entry's id, as in `entry`. */
  sub: string;
  /** When it was signed, in seconds since 1970 (UTC). */
  iat: number;
  entry: string;
  verificationId: string;
  provider: string;
  service: string;
  code: { slug: string; title: string };
  codeVersion: string;
  level: number;
  status: RegisterStatus;
  /** The last day the verification is valid, YYYY-MM-DD. */
  validUntil: string;
  monitoringBody: string;
  /** RFC 6962 tree hash of the evidence's SHA-256 digests, sorted ascending (hex). */
  evidenceMerkleRoot: string;
  evidenceCount: number;
  /** The entry's public page. */
  url: string;
}

/** The claims of an attestation of `entry` signed at `now` by the service at `publicUrl`. */
export function claimsOf(entry: PublicEntry, publicUrl: string, now: Date): AttestationClaims {
  return {
    iss: publicUrl,
    sub: entry.id,
    iat: Math.floor(now.getTime() / 1000),
    entry: entry.id,
    verificationId: entry.verificationId,
    provider: entry.provider.name,
    service: entry.service.name,
    code: { slug: entry.code.slug, title: entry.code.title },
    codeVersion: entry.code.version,
    level: entry.level,
    status: entry.status,
    validUntil: entry.validUntil,
    monitoringBody: entry.monitoringBody.name,
    evidenceMerkleRoot: entry.evidence.merkleRoot,
    evidenceCount: entry.evidence.count,
    url: `${publicUrl}/register/${entry.id}`,
  };
}
