import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { OrganizationsService } from '../tenancy/organizations.service';
import { AccreditationsService } from './accreditations.service';
import { CodesService } from './codes.service';

/** The accreditation page of a code: its accreditations and the monitoring bodies that could be accredited. */
@Injectable()
export class AccreditationFormModel implements FormModel {
  constructor(
    private readonly codes: CodesService,
    private readonly accreditations: AccreditationsService,
    private readonly organizations: OrganizationsService,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const slug = request.params.code as string;
    const summary = await this.codes.code(slug);
    return {
      title: `Accreditations for ${summary.current.title}`,
      slug,
      codeTitle: summary.current.title,
      accreditations: await this.accreditations.list(slug),
      monitoringBodies: await this.organizations.monitoringBodies(),
    };
  }
}
