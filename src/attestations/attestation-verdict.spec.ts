import type { AttestationClaims } from './attestation-claims';
import type { CurrentState, VerificationReport } from './attestation-report';
import { differencesOf } from './attestation-report';
import { verdictOf } from './attestation-verdict';

const CLAIMS: AttestationClaims = {
  iss: 'https://adhere.example',
  sub: 'entry-1',
  iat: 1_900_000_000,
  entry: 'entry-1',
  verificationId: 'AD-2030-0001',
  provider: 'Example Tools',
  service: 'SafeChat',
  code: { slug: 'csea-detection-tools', title: 'CSEA Detection Tools Code' },
  codeVersion: '1.0.0',
  level: 2,
  status: 'verified',
  validUntil: '2030-01-31',
  monitoringBody: 'Example Monitor',
  evidenceMerkleRoot: 'ab'.repeat(32),
  evidenceCount: 3,
  url: 'https://adhere.example/register/entry-1',
};
const SAME: CurrentState = { status: 'verified', verificationId: CLAIMS.verificationId, level: 2, validUntil: CLAIMS.validUntil };

function valid(current: CurrentState | null, keyStatus: 'active' | 'retired' = 'active', claims = CLAIMS): VerificationReport {
  const differences = current ? differencesOf(claims, current) : [];
  return { signature: 'valid', kid: 'key-1', keyStatus, claims, current, matchesCurrent: current !== null && differences.length === 0, differences };
}

describe('verdictOf', () => {
  it('a valid attestation the register still bears out: trustworthy, with the active key named', () => {
    const verdict = verdictOf(valid(SAME));
    expect(verdict).toMatchObject({
      trustworthy: true,
      headline: 'The signature is valid, and the register still shows what the attestation says.',
      signature: "The signature is valid. It was made with the register's current signing key, key-1.",
      warnings: [],
      entryPath: '/register/entry-1',
    });
    expect(verdict.claims).toContainEqual({ label: 'Code', value: 'CSEA Detection Tools Code (csea-detection-tools), version 1.0.0' });
    expect(verdict.claims).toContainEqual({ label: 'Signed at', value: '2030-03-17T17:46:40.000Z' });
    expect(verdict.claims).toContainEqual({ label: 'Evidence', value: `3 items, Merkle root ${'ab'.repeat(32)}` });
  });

  it('a retired key: still valid, and says why the key is still published', () => {
    const verdict = verdictOf(valid(SAME, 'retired'));
    expect(verdict.trustworthy).toBe(true);
    expect(verdict.signature).toBe('The signature is valid. It was made with a retired signing key, key-1: the register no longer signs with it, but keeps it published so that what it signed can still be checked.');
  });

  it.each([
    ['revoked', 'The signature is valid, but this entry has since been revoked.'],
    ['suspended', 'The signature is valid, but this entry has since been suspended.'],
    ['expired', 'The signature is valid, but this entry has since expired.'],
  ] as const)('an entry since %s: said in the headline, and the change in the warnings', (status, headline) => {
    const verdict = verdictOf(valid({ ...SAME, status }));
    expect(verdict).toMatchObject({ trustworthy: false, headline, warnings: [`The status has changed: the attestation says verified; the register now shows ${status}.`] });
  });

  it('an attestation of a suspended entry, verified again since', () => {
    const verdict = verdictOf(valid(SAME, 'active', { ...CLAIMS, status: 'suspended' }));
    expect(verdict).toMatchObject({
      trustworthy: false,
      headline: 'The signature is valid, and this entry has since been verified again.',
      warnings: ['The status has changed: the attestation says suspended; the register now shows verified.'],
    });
  });

  it('an attestation that itself says revoked: not in force, though nothing changed', () => {
    const verdict = verdictOf(valid({ ...SAME, status: 'revoked' }, 'active', { ...CLAIMS, status: 'revoked' }));
    expect(verdict).toMatchObject({
      trustworthy: false,
      headline: 'The signature is valid, but this entry is revoked, as the attestation itself says.',
      warnings: ['The entry is revoked: it is not a verification in force.'],
    });
  });

  it('a renewal at another level: the new verification ID, level and validity are each named', () => {
    const verdict = verdictOf(valid({ status: 'verified', verificationId: 'AD-2031-0007', level: 1, validUntil: '2031-01-31' }));
    expect(verdict.trustworthy).toBe(false);
    expect(verdict.headline).toBe('The signature is valid, but the entry has changed since the attestation was signed.');
    expect(verdict.warnings).toEqual([
      'The verification ID has changed: the attestation names AD-2030-0001; the register now shows AD-2031-0007.',
      'The level has changed: the attestation says level 2; the register now shows level 1.',
      'The validity has changed: the attestation says valid until 2030-01-31; the register now says valid until 2031-01-31.',
    ]);
  });

  it('an entry the register does not hold', () => {
    expect(verdictOf(valid(null))).toMatchObject({ trustworthy: false, headline: 'The signature is valid, but the register has no entry with this id.', current: null, entryPath: null });
  });

  it.each([
    ['bad-signature', 'key-1', 'The signature does not match the key it names (key-1): the attestation was changed after it was signed, or was not signed with that key.'],
    ['unknown-key', 'other', 'It names a key (other) that this register has never published: it was not signed by this register.'],
    ['unknown-key', null, 'It names no key: it was not signed by this register.'],
    ['unsupported-algorithm', 'key-1', 'Its header names another signing algorithm; this register signs with EdDSA (Ed25519) only.'],
    ['not-an-attestation', 'key-1', 'It was signed by this register, but it is not an attestation of a register entry.'],
  ] as const)('an invalid signature (%s, kid %s): says so and shows nothing it claims', (reason, kid, sentence) => {
    const verdict = verdictOf({ signature: 'invalid', reason, kid, keyStatus: 'unknown', claims: null, current: null, matchesCurrent: false, differences: [] });
    expect(verdict).toEqual({
      trustworthy: false,
      headline: 'The signature is not valid.',
      signature: `${sentence} Nothing in this attestation can be trusted.`,
      warnings: [],
      claims: null,
      current: null,
      entryPath: null,
    });
  });
});
