import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { TenantContext } from '../common/tenant-context';
import { FormModel } from '../web/form-view.decorator';

/** The reports page's period form, filled from the query; a refused period shows it again with the reason. */
@Injectable()
export class ReportsPageModel implements FormModel {
  constructor(private readonly context: TenantContext) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const sent = (name: string) => (typeof request.query[name] === 'string' ? (request.query[name] as string) : '');
    return { title: 'Reports', org, action: `/app/${org.slug}/reports`, period: { from: sent('from'), to: sent('to') } };
  }
}
