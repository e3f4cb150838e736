import { Injectable } from '@nestjs/common';
import { TenantContext } from '../common/tenant-context';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { TransactionHost } from '../database/transaction-host';
import { Notifications } from '../notifications/notifications';
import type { RegisterEntry, RegisterStatus } from '../register/entities/register-entry.entity';
import type { PublicEvent } from '../register/public-entry';
import { Register } from '../register/register';
import { RegisterDirectory } from '../register/register-directory';
import { VerifiedStatus } from '../verification/verified-status';
import { ComplaintLifecycle, nextStatuses, staleComplaint } from './complaint-lifecycle';
import { isClosed, STATUS_LABELS, type ComplaintAction, type HandlingStatus } from './complaint-states';
import { complaintNotFound, ComplaintsErrorCode, ComplaintsException } from './complaints.exception';
import { statusChangeProblems, type ComplaintStatusDto } from './dto/complaint-status.dto';
import type { ComplaintFilter } from './dto/complaint-list-query.dto';
import { Complaint } from './entities/complaint.entity';

/** The register entry a complaint is about, as it stands now. */
export interface ComplaintEntry {
  id: string;
  verificationId: string;
  providerName: string;
  serviceName: string;
  status: RegisterStatus;
  monitoringBodyId: string;
  monitoringBodyName: string;
}

export interface ListedComplaint {
  complaint: Complaint;
  entry: ComplaintEntry;
}

export interface ComplaintDetail extends ListedComplaint {
  /** The suspension or revocation it led to. */
  registerEvent: PublicEvent | null;
  /** The statuses it may move to next; none once decided. */
  allowed: readonly HandlingStatus[];
  /**
   * Whether upholding it can suspend or revoke the entry: only while this body verifies the entry. A
   * complaint stays with the body it was filed with, also after the entry's renewal at another body.
   */
  actionable: boolean;
}

const ACTION_EFFECT: Record<ComplaintAction, string> = { suspend: 'suspended', revoke: 'revoked' };

/**
 * A monitoring body's complaints: listing them, reading one, and moving it from received through
 * investigation to a public outcome, which may suspend or revoke the entry in the same transaction.
 * Every lookup names the current organization, and row-level security says the same.
 */
@Injectable()
export class ComplaintHandling {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly notifications: Notifications,
    private readonly register: Register,
    private readonly directory: RegisterDirectory,
    private readonly verifiedStatus: VerifiedStatus,
    private readonly lifecycle: ComplaintLifecycle,
  ) {}

  /** Newest first; `open` is received or under investigation. */
  async list(filter?: ComplaintFilter): Promise<ListedComplaint[]> {
    const query = this.tx.manager
      .getRepository(Complaint)
      .createQueryBuilder('complaint')
      .where('complaint.monitoringBodyId = :organizationId', { organizationId: this.context.organizationId });
    if (filter === 'open') query.andWhere(`complaint.status IN ('received', 'investigating')`);
    else if (filter) query.andWhere('complaint.status = :status', { status: filter });
    const complaints = await query.orderBy('complaint.receivedAt', 'DESC').addOrderBy('complaint.id', 'DESC').getMany();
    const entries = await this.register.entriesByIds(complaints.map((complaint) => complaint.entryId));
    return complaints.map((complaint) => ({ complaint, entry: entryOf(entries.get(complaint.entryId)!) }));
  }

  async detail(id: string): Promise<ComplaintDetail> {
    const complaint = await this.tx.manager.getRepository(Complaint).findOneBy({ id, monitoringBodyId: this.context.organizationId });
    if (!complaint) throw complaintNotFound();
    const found = await this.register.entry(complaint.entryId);
    const entry = entryOf(found!);
    const registerEvent = complaint.registerEventId ? ((await this.directory.history(entry.id)).find((event) => event.id === complaint.registerEventId) ?? null) : null;
    return { complaint, entry, registerEvent, allowed: nextStatuses(complaint.status), actionable: entry.monitoringBodyId === complaint.monitoringBodyId };
  }

  /** Investigates, upholds or dismisses the complaint; an upheld one may suspend or revoke the entry's verification. */
  async changeStatus(id: string, input: ComplaintStatusDto): Promise<ComplaintDetail> {
    const problems = statusChangeProblems(input);
    if (Object.keys(problems).length > 0) throw new InvalidInputException(problems);
    const complaint = await this.locked(id);
    if (input.version !== complaint.version) throw staleComplaint(complaint);
    this.lifecycle.check(complaint, input.status);

    const registerEventId = input.action ? await this.act(complaint, input.action, input.reason ?? input.publicOutcome!) : null;
    const closing = isClosed(input.status);
    await this.lifecycle.apply(complaint, input.status, { publicOutcome: closing ? input.publicOutcome! : null, registerEventId }, {
      ...(closing ? { publicOutcome: input.publicOutcome } : {}),
      ...(input.action ? { action: input.action, registerEventId } : {}),
    });
    const detail = await this.detail(id);
    await this.tellComplainant(detail, input.action);
    return detail;
  }

  /** Suspends or revokes the verification the entry shows, through the verification module, and names the event it wrote. */
  private async act(complaint: Complaint, action: ComplaintAction, reason: string): Promise<string> {
    const entry = await this.register.entry(complaint.entryId);
    if (!entry) throw complaintNotFound();
    if (entry.monitoringBodyId !== complaint.monitoringBodyId) {
      throw new ComplaintsException(
        ComplaintsErrorCode.EntryMoved,
        `The entry has since been verified by ${entry.monitoringBodyName}, and only that monitoring body can ${action} it. Uphold the complaint without an action, and pass it on to ${entry.monitoringBodyName} if it calls for one.`,
        { action: [`the entry is now verified by ${entry.monitoringBodyName}`] },
      );
    }
    // The entry's current verification: after a renewal at this body, the renewed one.
    await this.verifiedStatus.change(entry.assessmentId, action, reason);
    const history = await this.register.history(entry.id);
    return history[history.length - 1].id;
  }

  private async locked(id: string): Promise<Complaint> {
    const complaint = await this.tx.manager
      .getRepository(Complaint)
      .findOne({ where: { id, monitoringBodyId: this.context.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!complaint) throw complaintNotFound();
    return complaint;
  }

  /** The complainant hears of each move, if they gave an address; they follow the complaint with its reference. */
  private async tellComplainant({ complaint, entry }: ComplaintDetail, action: ComplaintAction | undefined): Promise<void> {
    if (!complaint.email) return;
    const body = this.context.organization.name;
    const about = `your complaint ${complaint.reference} about ${entry.providerName}'s ${entry.serviceName} (verification ${entry.verificationId})`;
    const lines =
      complaint.status === 'investigating'
        ? [`${body} is investigating ${about}.`]
        : [
            `${body} has ${complaint.status} ${about}.`,
            `What it found, as the public register shows it:\n${complaint.publicOutcome}`,
            ...(action ? [`As a result, verification ${entry.verificationId} is ${ACTION_EFFECT[action]}.`] : []),
          ];
    await this.notifications.enqueue({
      event: 'complaint_updated',
      organizationId: complaint.monitoringBodyId,
      to: { emails: [complaint.email] },
      subject: `Your complaint ${complaint.reference}: ${STATUS_LABELS[complaint.status].toLowerCase()}`,
      text: [...lines, 'Follow it with its reference and the secret you were given when you filed it:'].join('\n\n'),
      link: '/register/complaints/follow',
      key: `complaint_updated:${complaint.id}:${complaint.version}`,
    });
  }
}

function entryOf(entry: RegisterEntry): ComplaintEntry {
  return {
    id: entry.id,
    verificationId: entry.verificationId,
    providerName: entry.providerName,
    serviceName: entry.serviceName,
    status: entry.status,
    monitoringBodyId: entry.monitoringBodyId,
    monitoringBodyName: entry.monitoringBodyName,
  };
}
