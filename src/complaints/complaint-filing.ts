import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { newSecretToken } from '../common/secret-token';
import { AppConfig } from '../config/app-config.service';
import { SessionSecret } from '../config/session-secret.provider';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import type { RegisterEntry } from '../register/entities/register-entry.entity';
import { summaryOf, type PublicEntrySummary } from '../register/public-entry';
import { Register } from '../register/register';
import { entryNotFound } from '../register/register.exception';
import { OrganizationsService } from '../tenancy/organizations.service';
import { categoryLabel } from './complaint-categories';
import { newReference } from './complaint-reference';
import { clientKey } from './client-key';
import { TooManyComplaints } from './complaints.exception';
import type { FileComplaintDto } from './dto/file-complaint.dto';

/** The window the per-client limit counts in: a rolling hour. */
const WINDOW_MS = 3_600_000;
/** New references drawn when one is taken; with 40 random bits, a second draw is already rare. */
const REFERENCE_ATTEMPTS = 5;

export interface FiledComplaint {
  id: string;
  reference: string;
  /** Shown once, to the complainant; only its hash is kept. */
  secret: string;
  status: 'received';
  entry: PublicEntrySummary;
}

/** Anyone's complaint about a register entry, received for the entry's monitoring body. */
@Injectable()
export class ComplaintFiling {
  constructor(
    private readonly tx: TransactionHost,
    private readonly register: Register,
    private readonly notifications: Notifications,
    private readonly organizations: OrganizationsService,
    private readonly config: AppConfig,
    private readonly sessionSecret: SessionSecret,
  ) {}

  /** `clientIp` is the address the request came from (as the trusted proxies report it). */
  async file(entryId: string, input: FileComplaintDto, clientIp: string | undefined): Promise<FiledComplaint> {
    const entry = await this.holdEntry(entryId);
    const client = clientKey(clientIp, this.sessionSecret.value);
    await this.admit(client);
    const id = randomUUID();
    const { token: secret, hash } = newSecretToken();
    const reference = await this.insert(id, hash, entry.id, input, client);
    await this.tellMonitoringBody(id, reference, entry, input);
    return { id, reference, secret, status: 'received', entry: summaryOf(entry) };
  }

  /**
   * The rate limit. One client's filings wait for each other on an advisory lock held until commit, so
   * each counts the ones committed before it, and two at once cannot both take the last place.
   */
  private async admit(client: string): Promise<void> {
    const manager = this.tx.manager;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('complaints:' || $1, 0))`, [client]);
    const rows = (await manager.query(`SELECT received_at FROM complaints_filed_by($1, clock_timestamp() - interval '1 hour')`, [client])) as Array<{ received_at: Date }>;
    const limit = this.config.complaintsPerHour;
    // A place frees up when enough of the window's complaints have grown older than an hour.
    if (rows.length >= limit) throw new TooManyComplaints(limit, new Date(new Date(rows[rows.length - limit].received_at).getTime() + WINDOW_MS));
  }

  /**
   * The entry, share-locked until commit: a renewal at another body cannot move it in between, so the
   * body told below is the body the database copies onto the complaint.
   */
  private async holdEntry(entryId: string): Promise<RegisterEntry> {
    const entry = await this.register.entry(entryId, { lock: 'share' });
    if (!entry) throw entryNotFound();
    return entry;
  }

  /** Without RETURNING: the public may add complaints but read none back, not even its own. */
  private async insert(id: string, secretHash: string, entryId: string, input: FileComplaintDto, client: string): Promise<string> {
    const runner = this.tx.manager.queryRunner!;
    for (let attempt = 1; ; attempt += 1) {
      const reference = newReference();
      const result = await runner.query(
        `INSERT INTO complaints (id, reference, secret_hash, entry_id, category, text, email, client_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT DO NOTHING`,
        [id, reference, secretHash, entryId, input.category, input.text, input.email ?? null, client],
        true,
      );
      if (result.affected === 1) return reference;
      if (attempt === REFERENCE_ATTEMPTS) throw new Error(`No free complaint reference after ${REFERENCE_ATTEMPTS} draws`);
    }
  }

  /** The monitoring body's admins hear that a complaint arrived; what it says stays in Adhere. */
  private async tellMonitoringBody(id: string, reference: string, entry: RegisterEntry, input: FileComplaintDto): Promise<void> {
    const monitoringBodyId = entry.monitoringBodyId;
    const body = (await this.organizations.byIds([monitoringBodyId])).get(monitoringBodyId)!;
    const replies = input.email ? 'The complainant gave an e-mail address and is told when you change its status.' : 'The complainant gave no e-mail address: they follow it with its reference.';
    await this.notifications.enqueue({
      event: 'complaint_received',
      organizationId: monitoringBodyId,
      to: { roles: ['admin'] },
      subject: `Complaint ${reference} about ${entry.serviceName} (${entry.verificationId})`,
      text: [
        `A complaint about ${entry.providerName}'s ${entry.serviceName}, verification ${entry.verificationId} in the public register, was filed with ${body.name}.`,
        `Category: ${categoryLabel(input.category)}.`,
        replies,
        'Read it, and investigate, uphold or dismiss it, in Adhere.',
      ].join('\n\n'),
      link: `/app/${body.slug}/complaints/${id}`,
      key: `complaint_received:${id}`,
    });
  }
}
