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

  /** Until when a running instance is known to sign with this key: each one renews it every minute. */
  @Column({ name: 'in_use_until', type: 'timestamptz' })
  inUseUntil: Date;

  /** When the last instance signing with this key stopped renewing it; null while one does. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
