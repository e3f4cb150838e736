import { Injectable } from '@nestjs/common';
import { SubmittedAssessments } from '../assessments/submitted-assessments';
import { AssessmentLifecycle } from '../assessments/assessment-lifecycle';
import type { Assessment } from '../assessments/entities/assessment.entity';
import { TenantContext } from '../common/tenant-context';
import { Notifications } from '../notifications/notifications';
import type { RegisterEntry } from '../register/entities/register-entry.entity';
import { Register } from '../register/register';
import { OrganizationsService } from '../tenancy/organizations.service';
import { VerificationErrorCode, VerificationException } from './verification.exception';

type StatusMove = 'suspend' | 'reinstate' | 'revoke';

const EFFECT = {
  suspend: { status: 'suspended', event: 'suspended', said: 'suspended' },
  reinstate: { status: 'verified', event: 'reinstated', said: 'reinstated' },
  revoke: { status: 'revoked', event: 'revoked', said: 'revoked' },
} as const;

/** After verification: suspending, reinstating and revoking, each with its public reason in the register. */
@Injectable()
export class VerifiedStatus {
  constructor(
    private readonly context: TenantContext,
    private readonly assessments: SubmittedAssessments,
    private readonly lifecycle: AssessmentLifecycle,
    private readonly register: Register,
    private readonly notifications: Notifications,
    private readonly organizations: OrganizationsService,
  ) {}

  async change(id: string, move: StatusMove, reason: string | null): Promise<RegisterEntry> {
    const assessment = await this.assessments.addressed(id, { lock: 'update' });
    this.lifecycle.check(assessment, move);
    const entry = await this.currentEntry(assessment);
    await this.lifecycle.apply(assessment, move, {}, { reason, verificationId: entry.verificationId });
    const { status, event, said } = EFFECT[move];
    const changed = await this.register.changeStatus(entry, event, status, reason);
    await this.notifications.enqueue({
      event,
      organizationId: assessment.organizationId,
      to: { roles: ['owner', 'editor'] },
      subject: `Verification ${entry.verificationId} ${said}`,
      text: `${this.context.organization.name} has ${said} verification ${entry.verificationId}.${reason ? `\n\nThe public reason: ${reason}` : ''}`,
      link: `/app/${await this.providerSlug(assessment)}/assessments/${id}`,
      key: `${event}:${entry.id}:${changed.version}`,
    });
    return changed;
  }

  private async currentEntry(assessment: Assessment): Promise<RegisterEntry> {
    const entry = await this.register.entryOf(assessment.id, { lock: true });
    if (entry) return entry;
    throw new VerificationException(VerificationErrorCode.Replaced, 'This verification is no longer the one in the register: a renewal has replaced it. Act on the renewed assessment instead.');
  }

  private async providerSlug(assessment: Assessment): Promise<string> {
    return (await this.organizations.byIds([assessment.organizationId])).get(assessment.organizationId)!.slug;
  }
}
