import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ComplaintCategory } from '../complaint-categories';
import type { ComplaintStatus } from '../complaint-states';

/**
 * A complaint as its monitoring body reads it. The client key and the secret's hash are not mapped:
 * they are written once, when it is filed, and the application role may not read them back.
 */
@Entity('complaints')
export class Complaint {
  @PrimaryColumn('uuid')
  id: string;

  /** What the complainant quotes, such as C-7K3Q-9MXD. */
  @Column({ type: 'text' })
  reference: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  /** The body that showed the entry when the complaint was filed; set by the database, never by the caller. */
  @Column({ name: 'monitoring_body_id', type: 'uuid' })
  monitoringBodyId: string;

  @Column({ type: 'text' })
  category: ComplaintCategory;

  @Column({ type: 'text' })
  text: string;

  /** Only when the complainant wants to hear back; never shown outside the monitoring body. */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text' })
  status: ComplaintStatus;

  @Column({ name: 'public_outcome', type: 'text', nullable: true })
  publicOutcome: string | null;

  /** The suspension or revocation the complaint led to. */
  @Column({ name: 'register_event_id', type: 'bigint', nullable: true })
  registerEventId: string | null;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
