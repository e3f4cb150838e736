import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CodesService } from '../codes/codes.service';
import { FormModel } from '../web/form-view.decorator';
import { TenantContext } from '../common/tenant-context';
import { questionGroupsOf } from './service-profile.page';

/** The service form: where it posts, and the codes' profile questions, each asked once. */
@Injectable()
export class ServiceFormModel implements FormModel {
  constructor(
    private readonly codes: CodesService,
    private readonly context: TenantContext,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const id = request.params.id as string | undefined;
    return {
      title: id ? 'Edit the service' : 'New service',
      org,
      action: id ? `/app/${org.slug}/services/${id}` : `/app/${org.slug}/services`,
      editing: Boolean(id),
      questionGroups: questionGroupsOf(await this.codes.profileQuestions()),
    };
  }
}
