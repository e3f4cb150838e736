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

/** How long a key counts as in use after an instance last said it signs with it. */
export const KEY_LEASE_SECONDS = 180;
/** How often a running instance says so: well within the lease, so one missed renewal changes nothing. */
export const KEY_RENEWAL_SECONDS = 60;

/**
 * Every public key the register has signed with, shared by all instances through the database: the
 * one in use and the retired ones, which stay published so that what they signed can still be checked.
 */
@Injectable()
export class PublishedKeys {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Records that this instance signs with `key` for the next KEY_LEASE_SECONDS (publishing it if it is
   * new, and in use again if it was retired), and retires every key whose lease has run out: no running
   * instance signs with it any more. Returns the other keys still in use, by other instances.
   */
  async holdInUse(key: SigningKey): Promise<string[]> {
    const manager = this.tx.manager;
    // Instances that start or renew at once take turns, so each sees what the others wrote.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('register-signing-keys', 0))`);
    await manager.query(
      `INSERT INTO register_signing_keys (kid, public_jwk, in_use_until) VALUES ($1, $2::jsonb, now() + make_interval(secs => $3))
       ON CONFLICT (kid) DO UPDATE SET in_use_until = GREATEST(register_signing_keys.in_use_until, EXCLUDED.in_use_until), retired_at = NULL`,
      [key.kid, JSON.stringify(key.publicJwk), KEY_LEASE_SECONDS],
    );
    await manager.query(`UPDATE register_signing_keys SET retired_at = in_use_until WHERE retired_at IS NULL AND in_use_until < now()`);
    const others = (await manager.query(`SELECT kid FROM register_signing_keys WHERE retired_at IS NULL AND kid <> $1 ORDER BY kid`, [key.kid])) as Array<{ kid: string }>;
    return others.map((other) => other.kid);
  }

  /** The keys in use first (the newest first), then the retired ones, most recently retired first. */
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
