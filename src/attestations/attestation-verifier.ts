import { Injectable } from '@nestjs/common';
import { compactVerify, importJWK } from 'jose';
import { Register } from '../register/register';
import { ATTESTATION_ALGORITHM, ATTESTATION_TYPE } from './attestation-claims';
import { CurrentState, differencesOf, InvalidReason, KeyStatus, readClaims, readCompact, VerificationReport } from './attestation-report';
import { jwkOf, PublishedKeys, statusOf } from './published-keys';

/**
 * Checks an attestation against the published keys, exactly as anyone can offline, and then compares
 * what it claims with what the register shows now. Input that is not a compact JWS is a 400.
 */
@Injectable()
export class AttestationVerifier {
  constructor(
    private readonly keys: PublishedKeys,
    private readonly register: Register,
  ) {}

  async verify(input: string): Promise<VerificationReport> {
    const { token, header } = readCompact(input);
    const kid = typeof header.kid === 'string' ? header.kid : null;
    const key = kid ? await this.keys.find(kid) : null;
    const keyStatus = statusOf(key);
    const invalid = (reason: InvalidReason) => invalidReport(reason, kid, keyStatus);

    // Checked before any key is used: `none` or a MAC algorithm must never get near verification.
    if (header.alg !== ATTESTATION_ALGORITHM) return invalid('unsupported-algorithm');
    if (!key) return invalid('unknown-key');
    let payload: Uint8Array;
    let typ: unknown;
    try {
      const verified = await compactVerify(token, await importJWK(jwkOf(key), ATTESTATION_ALGORITHM), { algorithms: [ATTESTATION_ALGORITHM] });
      payload = verified.payload;
      typ = verified.protectedHeader.typ;
    } catch {
      return invalid('bad-signature');
    }
    const claims = typ === ATTESTATION_TYPE ? readClaims(payload) : null;
    if (!claims) return invalid('not-an-attestation');

    const current = await this.currentState(claims.entry);
    const differences = current ? differencesOf(claims, current) : [];
    return { signature: 'valid', kid, keyStatus, claims, current, matchesCurrent: current !== null && differences.length === 0, differences };
  }

  private async currentState(entryId: string): Promise<CurrentState | null> {
    const entry = await this.register.entry(entryId);
    return entry && { status: entry.status, validUntil: entry.validUntil, verificationId: entry.verificationId, level: entry.level };
  }
}

function invalidReport(reason: InvalidReason, kid: string | null, keyStatus: KeyStatus): VerificationReport {
  return { signature: 'invalid', reason, kid, keyStatus, claims: null, current: null, matchesCurrent: false, differences: [] };
}
