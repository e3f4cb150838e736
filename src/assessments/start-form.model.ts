import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AccreditationsService } from '../codes/accreditations.service';
import { CodesService } from '../codes/codes.service';
import { FormModel } from '../common/web/form-view.decorator';
import { TenantContext } from '../common/tenant-context';
import { ServiceRegistry } from '../services/service-registry';
import { AssessmentsService } from './assessments.service';

/**
 * The form that starts an assessment. A code version is chosen first (the only one, when there is
 * one); its levels and accredited monitoring bodies then fill the rest of the form.
 */
@Injectable()
export class StartFormModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly services: ServiceRegistry,
    private readonly codes: CodesService,
    private readonly accreditations: AccreditationsService,
    private readonly assessments: AssessmentsService,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const sent = { ...(request.query as Record<string, unknown>), ...((request.body as Record<string, unknown> | undefined) ?? {}) };
    const versions = (await this.codes.list()).flatMap((summary) =>
      summary.versions.filter((version) => version.status === 'published').map((version) => ({ code: summary.code.slug, version: version.version, title: version.title, levels: version.levels })),
    );
    const chosen = versions.find((candidate) => candidate.code === sent.code && candidate.version === sent.version) ?? (versions.length === 1 ? versions[0] : undefined);
    const base = { title: 'Start an assessment', org, action: `/app/${org.slug}/assessments`, versions, chosen };
    if (!chosen) return base;
    return {
      ...base,
      services: await this.services.list(),
      levels: chosen.levels.map((level, index) => ({ number: index + 1, ...level })),
      monitoringBodies: (await this.accreditations.current(chosen.code)).map((view) => view.organization),
      earlier: (await this.assessments.list({ code: chosen.code })).filter((summary) => summary.assessment.state !== 'withdrawn'),
    };
  }
}
