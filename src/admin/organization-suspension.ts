import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TransactionHost } from '../database/transaction-host';
import { AdminErrorCode, AdminException, organizationNotFound } from './admin.exception';

/**
 * The operator closes an organization's pages and API to its members and tokens (403
 * tenancy.organization_suspended), and opens them again. Nothing else changes: its register entries, its
 * memberships, its tokens and its data stay as they are.
 */
@Injectable()
export class OrganizationSuspension {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  async suspend(organizationId: string, reason: string): Promise<void> {
    await this.change(organizationId, `suspended_at = now(), suspended_reason = $2`, 'suspended_at IS NULL', [reason.trim()]);
    await this.audit.record({ organizationId: null, action: 'organization.suspended', targetType: 'organization', targetId: organizationId, data: { reason: reason.trim() } });
  }

  async reactivate(organizationId: string): Promise<void> {
    await this.change(organizationId, `suspended_at = NULL, suspended_reason = NULL`, 'suspended_at IS NOT NULL', []);
    await this.audit.record({ organizationId: null, action: 'organization.reactivated', targetType: 'organization', targetId: organizationId });
  }

  private async change(organizationId: string, set: string, from: string, values: unknown[]): Promise<void> {
    const manager = this.tx.manager;
    const [changed] = (await manager.query(`UPDATE organizations SET ${set} WHERE id = $1 AND ${from} RETURNING id`, [organizationId, ...values])) as [unknown[], number];
    if (changed.length > 0) return;
    const [organization] = (await manager.query(`SELECT suspended_at IS NOT NULL AS suspended FROM organizations WHERE id = $1`, [organizationId])) as Array<{ suspended: boolean }>;
    if (!organization) throw organizationNotFound();
    throw organization.suspended
      ? new AdminException(AdminErrorCode.AlreadySuspended, 'This organization is suspended already.')
      : new AdminException(AdminErrorCode.NotSuspended, 'This organization is not suspended.');
  }
}
