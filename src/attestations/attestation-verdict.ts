import type { RegisterStatus } from '../register/entities/register-entry.entity';
import type { AttestationClaims } from './attestation-claims';
import type { ComparedField, CurrentState, Difference, InvalidReason, VerificationReport } from './attestation-report';

export interface Row {
  label: string;
  value: string;
  code?: boolean;
}

/** A verification report in plain words, for the verify page: every meaning is said, never only coloured. */
export interface Verdict {
  /** Whether the attestation can be relied on as it stands: valid, and the register still shows the same, verified. */
  trustworthy: boolean;
  headline: string;
  signature: string;
  /** Each way the register now differs from the attestation, or why its entry is not in force. */
  warnings: string[];
  claims: Row[] | null;
  current: Row[] | null;
  entryPath: string | null;
}

const INVALID: Record<InvalidReason, (kid: string | null) => string> = {
  'unsupported-algorithm': () => 'Its header names another signing algorithm; this register signs with EdDSA (Ed25519) only.',
  'unknown-key': (kid) =>
    kid ? `It names a key (${kid}) that this register has never published: it was not signed by this register.` : 'It names no key: it was not signed by this register.',
  'bad-signature': (kid) => `The signature does not match the key it names (${kid}): the attestation was changed after it was signed, or was not signed with that key.`,
  'not-an-attestation': () => 'It was signed by this register, but it is not an attestation of a register entry.',
};

const SINCE: Record<RegisterStatus, string> = {
  verified: 'has since been verified again',
  suspended: 'has since been suspended',
  revoked: 'has since been revoked',
  expired: 'has since expired',
};

const FIELD_SENTENCE: Record<ComparedField, (attested: string | number, current: string | number) => string> = {
  status: (a, c) => `The status has changed: the attestation says ${a}; the register now shows ${c}.`,
  verificationId: (a, c) => `The verification ID has changed: the attestation names ${a}; the register now shows ${c}.`,
  level: (a, c) => `The level has changed: the attestation says level ${a}; the register now shows level ${c}.`,
  validUntil: (a, c) => `The validity has changed: the attestation says valid until ${a}; the register now says valid until ${c}.`,
};

export function verdictOf(report: VerificationReport): Verdict {
  if (report.signature === 'invalid' || !report.claims) {
    return {
      trustworthy: false,
      headline: 'The signature is not valid.',
      signature: `${INVALID[report.reason ?? 'bad-signature'](report.kid)} Nothing in this attestation can be trusted.`,
      warnings: [],
      claims: null,
      current: null,
      entryPath: null,
    };
  }
  const { claims, current, differences } = report;
  const signature =
    report.keyStatus === 'active'
      ? `The signature is valid. It was made with the register's current signing key, ${report.kid}.`
      : `The signature is valid. It was made with a retired signing key, ${report.kid}: the register no longer signs with it, but keeps it published so that what it signed can still be checked.`;
  return {
    trustworthy: report.matchesCurrent && current?.status === 'verified',
    headline: headlineOf(claims, current, differences),
    signature,
    warnings: current ? warningsOf(current, differences) : [],
    claims: claimRows(claims),
    current: current ? currentRows(current) : null,
    entryPath: current ? `/register/${claims.entry}` : null,
  };
}

function headlineOf(claims: AttestationClaims, current: CurrentState | null, differences: Difference[]): string {
  if (!current) return 'The signature is valid, but the register has no entry with this id.';
  if (current.status !== claims.status) return `The signature is valid, ${current.status === 'verified' ? 'and' : 'but'} this entry ${SINCE[current.status]}.`;
  if (current.status !== 'verified') return `The signature is valid, but this entry is ${current.status}, as the attestation itself says.`;
  if (differences.length > 0) return 'The signature is valid, but the entry has changed since the attestation was signed.';
  return 'The signature is valid, and the register still shows what the attestation says.';
}

function warningsOf(current: CurrentState, differences: Difference[]): string[] {
  const warnings = differences.map(({ field, attested, current: now }) => FIELD_SENTENCE[field](attested, now));
  if (current.status !== 'verified' && !differences.some((difference) => difference.field === 'status')) {
    warnings.unshift(`The entry is ${current.status}: it is not a verification in force.`);
  }
  return warnings;
}

function claimRows(claims: AttestationClaims): Row[] {
  return [
    { label: 'Provider', value: claims.provider },
    { label: 'Service', value: claims.service },
    { label: 'Code', value: `${claims.code?.title} (${claims.code?.slug}), version ${claims.codeVersion}` },
    { label: 'Monitoring body', value: claims.monitoringBody },
    { label: 'Status', value: claims.status },
    { label: 'Level', value: String(claims.level) },
    { label: 'Verification ID', value: claims.verificationId, code: true },
    { label: 'Valid until', value: claims.validUntil },
    { label: 'Evidence', value: `${claims.evidenceCount} ${claims.evidenceCount === 1 ? 'item' : 'items'}, Merkle root ${claims.evidenceMerkleRoot}` },
    { label: 'Entry', value: claims.entry, code: true },
    { label: 'Signed at', value: typeof claims.iat === 'number' ? new Date(claims.iat * 1000).toISOString() : '(not stated)' },
    { label: 'Signed by', value: claims.iss },
  ];
}

function currentRows(current: CurrentState): Row[] {
  return [
    { label: 'Status', value: current.status },
    { label: 'Level', value: String(current.level) },
    { label: 'Verification ID', value: current.verificationId, code: true },
    { label: 'Valid until', value: current.validUntil },
  ];
}
