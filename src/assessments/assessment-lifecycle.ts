import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { mayMake, movesFrom, type Move } from '../access/moves';
import { Permission } from '../access/permissions';
import type { OrganizationKind } from '../common/request-context';
import { TenantContext } from '../common/tenant-context';
import { moveRow } from '../database/move-row';
import { TransactionHost } from '../database/transaction-host';
import { AssessmentsErrorCode, AssessmentsException } from './assessments.exception';
import type { AssessmentState } from './assessment-states';
import { Assessment } from './entities/assessment.entity';

/** A declaration still in progress: a service has at most one per code version (a unique index says so too). */
export const OPEN_STATES: readonly AssessmentState[] = ['draft', 'submitted', 'in_review', 'changes_requested'];

/** The states in which the provider may still change its answers. */
export const EDITABLE_STATES: readonly AssessmentState[] = ['draft', 'changes_requested'];

export interface Transition extends Move<AssessmentState> {
  /** Which side of the declaration makes this move; `system` is the scheduled job, with no caller. */
  by: OrganizationKind | 'system';
}

/** Every move an assessment can make. Nothing else changes an assessment's state. */
export const TRANSITIONS = {
  submit: { from: ['draft'], to: 'submitted', by: 'provider', permission: Permission.AssessmentsSign, verb: 'submit' },
  withdraw: { from: ['draft', 'submitted'], to: 'withdrawn', by: 'provider', permission: Permission.AssessmentsSign, verb: 'withdraw' },
  resubmit: { from: ['changes_requested'], to: 'submitted', by: 'provider', permission: Permission.AssessmentsSign, verb: 'resubmit' },
  take: { from: ['submitted'], to: 'in_review', by: 'monitoring_body', permission: Permission.ReviewsConduct, verb: 'start reviewing' },
  request_changes: { from: ['in_review'], to: 'changes_requested', by: 'monitoring_body', permission: Permission.ReviewsConduct, verb: 'request changes to' },
  verify: { from: ['in_review'], to: 'verified', by: 'monitoring_body', permission: Permission.ReviewsConduct, verb: 'verify' },
  reject: { from: ['in_review'], to: 'rejected', by: 'monitoring_body', permission: Permission.ReviewsConduct, verb: 'reject' },
  suspend: { from: ['verified'], to: 'suspended', by: 'monitoring_body', permission: Permission.VerificationsManage, verb: 'suspend' },
  reinstate: { from: ['suspended'], to: 'verified', by: 'monitoring_body', permission: Permission.VerificationsManage, verb: 'reinstate' },
  revoke: { from: ['verified', 'suspended'], to: 'revoked', by: 'monitoring_body', permission: Permission.VerificationsManage, verb: 'revoke' },
  expire: { from: ['verified', 'suspended'], to: 'expired', by: 'system', verb: 'expire' },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Submitting is `resubmit` when it answers the monitoring body's findings: the same act, for the next round. */
export function submitMove(assessment: Pick<Assessment, 'state'>): 'submit' | 'resubmit' {
  return assessment.state === 'changes_requested' ? 'resubmit' : 'submit';
}

/** The moves open from a state, to one side if given, e.g. to tell the provider what it can do next. */
export function transitionsFrom(state: AssessmentState, by?: Transition['by']): TransitionName[] {
  return movesFrom<AssessmentState, TransitionName>(TRANSITIONS, state, by);
}

/**
 * The one place an assessment changes state: it checks that the move is allowed from the current
 * state and that the caller may make it, applies it only if no one moved the assessment meanwhile,
 * and writes the audit event, all in the caller's transaction.
 */
@Injectable()
export class AssessmentLifecycle {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
  ) {}

  /** Whether the caller could make this move now (for showing or hiding a button). */
  allows(assessment: Assessment, name: TransitionName): boolean {
    const transition: Transition = TRANSITIONS[name];
    return transition.from.includes(assessment.state) && mayMake(this.context, transition);
  }

  /** Refuses the move, as `apply` would, before any work that precedes it. */
  check(assessment: Assessment, name: TransitionName): void {
    const transition: Transition = TRANSITIONS[name];
    if (!mayMake(this.context, transition)) {
      throw new AssessmentsException(AssessmentsErrorCode.Forbidden, `Your role does not allow you to ${transition.verb} this assessment.`);
    }
    if (!transition.from.includes(assessment.state)) throw invalidMove(assessment.state, transition, this.side);
  }

  async apply(assessment: Assessment, name: TransitionName, changes: Partial<Assessment> = {}, data: Record<string, unknown> = {}): Promise<Assessment> {
    this.check(assessment, name);
    const transition: Transition = TRANSITIONS[name];
    const moved = await moveRow(this.tx.manager, Assessment, assessment.id, { state: assessment.state, version: assessment.version }, { ...changes, state: transition.to, version: () => 'version + 1', updatedAt: () => 'now()' });
    if (!moved) {
      const now = await this.tx.manager.getRepository(Assessment).findOneByOrFail({ id: assessment.id });
      throw new AssessmentsException(
        AssessmentsErrorCode.InvalidTransition,
        `Someone changed this assessment at ${now.updatedAt.toISOString()} (it is now ${words(now.state)}); reload it before you ${transition.verb}.`,
        { state: now.state, allowed: transitionsFrom(now.state, this.side) },
      );
    }
    await this.audit.record({
      action: `assessment.${name}`,
      targetType: 'assessment',
      targetId: assessment.id,
      data: { from: assessment.state, to: transition.to, round: changes.round ?? assessment.round, ...data },
    });
    return this.tx.manager.getRepository(Assessment).findOneByOrFail({ id: assessment.id });
  }

  /** The caller's side of the declaration; none for the scheduled job. */
  private get side(): Transition['by'] {
    return this.context.hasOrganization && this.context.caller ? this.context.organization.kind : 'system';
  }
}

/** The refusal names the state and what the caller's side may still do from it. */
function invalidMove(state: AssessmentState, transition: Transition, side: Transition['by']): AssessmentsException {
  const allowed = transitionsFrom(state, side);
  const open = allowed.map((name) => TRANSITIONS[name].verb);
  const next = open.length > 0 ? `from there you can ${open.join(' or ')}` : `nothing more can be done with it by ${side === 'provider' ? 'the provider' : side === 'monitoring_body' ? 'the monitoring body' : 'the system'}`;
  return new AssessmentsException(
    AssessmentsErrorCode.InvalidTransition,
    `You cannot ${transition.verb} this assessment: it is ${words(state)}; ${next}.`,
    { state, allowed },
  );
}

/** A state as people say it: "changes_requested" → "changes requested". */
export function words(state: AssessmentState): string {
  return state.replace(/_/g, ' ');
}
