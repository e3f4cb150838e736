import { Injectable } from '@nestjs/common';
import { CompactSign } from 'jose';
import { AppConfig } from '../config/app-config.service';
import { RegisterDirectory } from '../register/register-directory';
import { ActiveSigningKey } from './active-signing-key';
import { ATTESTATION_ALGORITHM, ATTESTATION_TYPE, claimsOf } from './attestation-claims';

export interface SignedAttestation {
  /** A compact JWS (RFC 7515). */
  attestation: string;
  kid: string;
}

/** Signs what the register shows for an entry right now. */
@Injectable()
export class AttestationSigner {
  constructor(
    private readonly directory: RegisterDirectory,
    private readonly key: ActiveSigningKey,
    private readonly config: AppConfig,
  ) {}

  /** Throws the register's 404 for an id it does not hold. */
  async attest(entryId: string): Promise<SignedAttestation> {
    const entry = await this.directory.entry(entryId);
    const { privateKey, kid } = this.key.current;
    const payload = new TextEncoder().encode(JSON.stringify(claimsOf(entry, this.config.publicUrl, new Date())));
    const attestation = await new CompactSign(payload).setProtectedHeader({ alg: ATTESTATION_ALGORITHM, kid, typ: ATTESTATION_TYPE }).sign(privateKey);
    return { attestation, kid };
  }
}
