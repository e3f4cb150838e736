import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RegisterStatus } from './register-entry.entity';

export const REGISTER_EVENT_KINDS = ['verified', 'renewed', 'suspended', 'reinstated', 'revoked', 'expired'] as const;
export type RegisterEventKind = (typeof REGISTER_EVENT_KINDS)[number];

/** One public change of a register entry's status, with its public reason. Append-only. */
@Entity('register_events')
export class RegisterEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  /** The monitoring body that made the change (an entry may move to another one on renewal). */
  @Column({ name: 'monitoring_body_id', type: 'uuid' })
  monitoringBodyId: string;

  @Column({ type: 'text' })
  kind: RegisterEventKind;

  @Column({ type: 'text' })
  status: RegisterStatus;

  @Column({ name: 'verification_id', type: 'text' })
  verificationId: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
