import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PublicJwk } from '../signing-key';

/** A public key the register has signed attestations with; kept for good, so that old attestations stay checkable. */
@Entity('register_signing_keys')
export class RegisterSigningKey {
  /** The RFC 7638 thumbprint of `publicJwk`. */
  @PrimaryColumn({ type: 'text' })
  kid: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: PublicJwk;

  @Column({ name: 'first_used_at', type: 'timestamptz' })
  firstUsedAt: Date;

  /** When an instance first started with another key; null while this is the key in use. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
