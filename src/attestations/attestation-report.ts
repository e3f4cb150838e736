import type { RegisterStatus } from '../register/entities/register-entry.entity';
import type { AttestationClaims } from './attestation-claims';
import { malformedAttestation } from './attestations.exception';

export type KeyStatus = 'active' | 'retired' | 'unknown';

/**
 * Why a signature does not hold: the header asks for another algorithm, the key it names was never
 * published here, the signature does not match the header and payload, or the signed token is not an
 * attestation (another `typ`, or a payload that does not name an entry).
 */
export type InvalidReason = 'unsupported-algorithm' | 'unknown-key' | 'bad-signature' | 'not-an-attestation';

/** The fields of an entry that an attestation is compared on: what someone relying on it cares about. */
export const COMPARED_FIELDS = ['status', 'verificationId', 'level', 'validUntil'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface CurrentState {
  status: RegisterStatus;
  validUntil: string;
  verificationId: string;
  level: number;
}

export interface Difference {
  field: ComparedField;
  attested: string | number;
  current: string | number;
}

/** The answer to "can I trust this attestation, and is it still true?". */
export interface VerificationReport {
  signature: 'valid' | 'invalid';
  reason?: InvalidReason;
  /** The key id the header names, if any. */
  kid: string | null;
  keyStatus: KeyStatus;
  /** Only when the signature is valid: nothing in an invalid one can be trusted. */
  claims: AttestationClaims | null;
  /** The entry as the register shows it now; null when the signature is invalid or there is no such entry. */
  current: CurrentState | null;
  matchesCurrent: boolean;
  differences: Difference[];
}

export interface CompactToken {
  /** The token without the spaces and line breaks a paste may add. */
  token: string;
  header: { alg?: unknown; kid?: unknown; typ?: unknown; [name: string]: unknown };
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Checks that the input has the shape of a compact JWS (three base64url parts and a JSON header) and
 * reads the header. Anything else is refused as malformed: it cannot even be checked.
 */
export function readCompact(input: string): CompactToken {
  const token = input.replace(/\s+/g, '');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw malformedAttestation('this is not an attestation: an attestation is a compact JWS, three parts of letters, digits, - and _ joined by two dots');
  }
  const header = parseJsonObject(Buffer.from(parts[0], 'base64url').toString('utf8'));
  if (!header) throw malformedAttestation('this is not an attestation: its first part is not a JOSE header (a base64url-encoded JSON object)');
  return { token, header };
}

/** The claims of a verified payload, or null when it is not an attestation's (no entry id). */
export function readClaims(payload: Uint8Array): AttestationClaims | null {
  const claims = parseJsonObject(Buffer.from(payload).toString('utf8'));
  return claims && typeof claims.entry === 'string' ? (claims as unknown as AttestationClaims) : null;
}

/** Where the register now differs from what the attestation claims, in the order of COMPARED_FIELDS. */
export function differencesOf(claims: AttestationClaims, current: CurrentState): Difference[] {
  return COMPARED_FIELDS.filter((field) => claims[field] !== current[field]).map((field) => ({ field, attested: claims[field], current: current[field] }));
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
