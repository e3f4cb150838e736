import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import { mayMake, movesFrom, type Move } from '../access/moves';
import { Permission } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { moveRow } from '../database/move-row';
import { TransactionHost } from '../database/transaction-host';
import { ComplaintsErrorCode, ComplaintsException } from './complaints.exception';
import { isClosed, STATUS_LABELS, type ComplaintStatus, type HandlingStatus } from './complaint-states';
import { Complaint } from './entities/complaint.entity';

/**
 * Every move a complaint can make, named by where it goes: the monitoring body investigates it, or
 * decides it at once, and a decided complaint stays decided (its outcome is public).
 */
export const COMPLAINT_MOVES = {
  investigating: { from: ['received'], to: 'investigating', by: 'monitoring_body', permission: Permission.ComplaintsHandle, verb: 'investigate' },
  upheld: { from: ['received', 'investigating'], to: 'upheld', by: 'monitoring_body', permission: Permission.ComplaintsHandle, verb: 'uphold' },
  dismissed: { from: ['received', 'investigating'], to: 'dismissed', by: 'monitoring_body', permission: Permission.ComplaintsHandle, verb: 'dismiss' },
} as const satisfies Record<HandlingStatus, Move<ComplaintStatus>>;

export function nextStatuses(status: ComplaintStatus): readonly HandlingStatus[] {
  return movesFrom<ComplaintStatus, HandlingStatus>(COMPLAINT_MOVES, status);
}

/**
 * The one place a complaint changes status: it checks that the move is allowed from the current
 * status and that the caller may make it, applies it only if no one changed the complaint meanwhile,
 * and writes the audit event, all in the caller's transaction.
 */
@Injectable()
export class ComplaintLifecycle {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
  ) {}

  /** Refuses the move, as `apply` would, before any work that precedes it. */
  check(complaint: Complaint, to: HandlingStatus): void {
    const move: Move<ComplaintStatus> = COMPLAINT_MOVES[to];
    if (!mayMake(this.context, move)) throw new AuthException(AuthErrorCode.Forbidden, `Your role does not allow you to ${move.verb} complaints.`);
    if (move.from.includes(complaint.status)) return;
    const allowed = nextStatuses(complaint.status);
    const next = allowed.length > 0 ? `from there it can be ${allowed.map((status) => STATUS_LABELS[status].toLowerCase()).join(' or ')}` : 'its outcome is final';
    throw new ComplaintsException(ComplaintsErrorCode.InvalidMove, `This complaint cannot be ${STATUS_LABELS[to].toLowerCase()}: it is ${STATUS_LABELS[complaint.status].toLowerCase()}; ${next}.`, {
      status: complaint.status,
      allowed,
    });
  }

  async apply(complaint: Complaint, to: HandlingStatus, changes: Partial<Complaint>, data: Record<string, unknown>): Promise<void> {
    this.check(complaint, to);
    const moved = await moveRow(this.tx.manager, Complaint, complaint.id, { status: complaint.status, version: complaint.version }, {
      ...changes,
      status: to,
      version: complaint.version + 1,
      updatedAt: () => 'now()',
      closedAt: isClosed(to) ? () => 'now()' : null,
    });
    if (!moved) throw staleComplaint(complaint);
    await this.audit.record({
      action: `complaint.${to}`,
      targetType: 'complaint',
      targetId: complaint.id,
      data: { reference: complaint.reference, entryId: complaint.entryId, from: complaint.status, to, ...data },
    });
  }
}

/** The refusal of a change based on an earlier version of the complaint, saying where it now stands. */
export function staleComplaint(complaint: Complaint): ComplaintsException {
  return new ComplaintsException(
    ComplaintsErrorCode.Stale,
    `Someone changed this complaint at ${complaint.updatedAt.toISOString()} (it is now ${STATUS_LABELS[complaint.status].toLowerCase()}, version ${complaint.version}); reload it before you change it.`,
    { current: { status: complaint.status, version: complaint.version } },
  );
}
