import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';
import { RegisterSigningKey } from './entities/register-signing-key.entity';
import { ATTESTATION_ALGORITHM } from './attestation-claims';
import type { KeyStatus } from './attestation-report';
import type { PublicJwk, SigningKey } from './signing-key';

/** A key as the JWKS publishes it (RFC 7517, RFC 8037). */
export interface PublishedJwk extends PublicJwk {
  kid: string;
  use: 'sig';
  alg: typeof ATTESTATION_ALGORITHM;
}

/**
 * Every public key the register has signed with, shared by all instances through the database: the
 * one in use and the retired ones, which stay published so that what they signed can still be checked.
 */
@Injectable()
export class PublishedKeys {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Publishes `key` as the one in use and retires every other (each keeps its first retirement time).
   * Instances that start at once take turns, so exactly one key ends up in use.
   */
  async activate(key: SigningKey): Promise<void> {
    const manager = this.tx.manager;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('register-signing-keys', 0))`);
    // A key given again (a rotation undone) is in use again.
    await manager.query(
      `INSERT INTO register_signing_keys (kid, public_jwk) VALUES ($1, $2::jsonb) ON CONFLICT (kid) DO UPDATE SET retired_at = NULL`,
      [key.kid, JSON.stringify(key.publicJwk)],
    );
    await manager.query(`UPDATE register_signing_keys SET retired_at = now() WHERE kid <> $1 AND retired_at IS NULL`, [key.kid]);
  }

  /** The key in use first, then the retired ones, most recently retired first. */
  list(): Promise<RegisterSigningKey[]> {
    return this.tx.manager
      .getRepository(RegisterSigningKey)
      .createQueryBuilder('signing_key')
      .orderBy('signing_key.retired_at', 'DESC', 'NULLS FIRST')
      .addOrderBy('signing_key.first_used_at', 'DESC')
      .addOrderBy('signing_key.kid', 'ASC')
      .getMany();
  }

  find(kid: string): Promise<RegisterSigningKey | null> {
    return this.tx.manager.getRepository(RegisterSigningKey).findOneBy({ kid });
  }
}

export function jwkOf(key: RegisterSigningKey): PublishedJwk {
  // Member by member, so that nothing but the public key's own fields is ever published.
  return { kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x, kid: key.kid, use: 'sig', alg: ATTESTATION_ALGORITHM };
}

export function statusOf(key: RegisterSigningKey | null): KeyStatus {
  if (!key) return 'unknown';
  return key.retiredAt ? 'retired' : 'active';
}
