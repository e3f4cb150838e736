import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Permission, roleAllows } from '../access/permissions';
import { TenantContext } from '../common/tenant-context';
import { FormModel } from '../web/form-view.decorator';
import type { Role } from '../access/roles';
import { categoryLabel } from './complaint-categories';
import { ComplaintHandling } from './complaint-handling';
import { STATUS_LABELS, type ComplaintStatus } from './complaint-states';
import { LIST_FILTERS } from './dto/complaint-list-query.dto';

const ACTION_LABELS = { '': 'No action: the entry stays as it is', suspend: 'Suspend the verification', revoke: 'Revoke the verification (final)' } as const;

/**
 * One complaint for its monitoring body: what it says and who sent it, the entry it is about, and the
 * status form for those who may handle it. Shown again after a refused post, with what was typed.
 */
@Injectable()
export class ComplaintPageModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly handling: ComplaintHandling,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const detail = await this.handling.detail(request.params.id as string);
    const { complaint, entry, allowed, actionable } = detail;
    const mayHandle = roleAllows(org.role as Role | undefined, Permission.ComplaintsHandle);
    return {
      title: `Complaint ${complaint.reference}`,
      org,
      complaint,
      entry,
      categoryLabel: categoryLabel(complaint.category),
      statusLabel: STATUS_LABELS[complaint.status],
      registerEvent: detail.registerEvent,
      movedTo: actionable ? null : entry.monitoringBodyName,
      values: { status: allowed[0] ?? '', action: '' },
      statusForm:
        mayHandle && allowed.length > 0
          ? {
              action: `/app/${org.slug}/complaints/${complaint.id}/status`,
              version: complaint.version,
              statuses: allowed.map((value) => ({ value, label: STATUS_LABELS[value] })),
              actions: actionable ? Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label })) : null,
            }
          : null,
    };
  }
}

/** The list's filter, filled from the query it was sent with, so a refused filter shows the same form again. */
@Injectable()
export class ComplaintListPageModel implements FormModel {
  constructor(private readonly context: TenantContext) {}

  locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const sent = typeof request.query.status === 'string' ? request.query.status : '';
    return Promise.resolve({
      title: 'Complaints',
      org,
      action: `/app/${org.slug}/complaints`,
      filters: { status: sent },
      statuses: [
        { value: '', label: 'All' },
        ...LIST_FILTERS.map((value) => ({ value, label: value === 'open' ? 'Open (received or under investigation)' : STATUS_LABELS[value as ComplaintStatus] })),
      ],
    });
  }
}
