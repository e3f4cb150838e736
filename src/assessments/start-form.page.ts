import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AccreditationsService } from '../codes/accreditations.service';
import { CodesService } from '../codes/codes.service';
import { FormModel } from '../web/form-view.decorator';
import { TenantContext } from '../common/tenant-context';
import { ServiceRegistry } from '../provider-services/service-registry';
import { AssessmentsService } from './assessments.service';

/**
 * The form that starts an assessment. A code version is chosen first: the newest published version of
 * the code asked for, or of the only code there is, unless a version is named; its levels and
 * accredited monitoring bodies then fill the rest of the form.
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
    // Newest first within each code (the summaries list them so); the first of a code is its current one.
    const versions = (await this.codes.list()).flatMap((summary) =>
      summary.versions
        .filter((version) => version.status === 'published')
        .map((version, index) => ({ code: summary.code.slug, version: version.version, title: version.title, levels: version.levels, newest: index === 0 })),
    );
    const codes = new Set(versions.map((candidate) => candidate.code));
    const wanted = typeof sent.code === 'string' ? sent.code : codes.size === 1 ? [...codes][0] : undefined;
    const chosen =
      versions.find((candidate) => candidate.code === wanted && candidate.version === sent.version) ??
      (sent.version === undefined || sent.version === '' ? versions.find((candidate) => candidate.code === wanted && candidate.newest) : undefined);
    const base = { title: 'Start an assessment', org, action: `/app/${org.slug}/assessments`, versions, chosen, newest: versions.filter((candidate) => candidate.newest) };
    if (!chosen) return base;
    return {
      ...base,
      // The other published versions of the chosen code, e.g. to keep a declaration on the version it had.
      others: versions.filter((candidate) => candidate.code === chosen.code && candidate.version !== chosen.version),
      services: await this.services.list(),
      levels: chosen.levels.map((level, index) => ({ number: index + 1, ...level })),
      monitoringBodies: (await this.accreditations.current(chosen.code)).map((view) => view.organization),
      earlier: (await this.assessments.list({ code: chosen.code })).filter((summary) => summary.assessment.state !== 'withdrawn'),
    };
  }
}
