import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { TenantContext } from '../common/tenant-context';
import { csrf } from '../access/csrf';
import { Permission, roleAllows } from '../access/permissions';
import type { Role } from '../access/roles';
import { EvidenceIntake } from './evidence-intake';
import { EvidenceLibrary } from './evidence-library';

/**
 * The evidence pages' forms. A file form posts multipart data, which is streamed only after the
 * access check, so its CSRF token travels in the form's action instead of a field.
 */
@Injectable()
export class EvidenceFormModel implements FormModel {
  constructor(
    private readonly context: TenantContext,
    private readonly library: EvidenceLibrary,
    private readonly intake: EvidenceIntake,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const org = this.context.organization;
    const base = `/app/${org.slug}/evidence`;
    const uploadToken = request.headers.authorization ? '' : encodeURIComponent(csrf.generateToken(request));
    const id = request.params.id as string | undefined;
    const uploadTerms = await this.intake.uploadTerms();
    if (!id) return { title: 'Add evidence', org, action: base, uploadAction: `${base}?_csrf=${uploadToken}`, uploadTerms };
    const detail = await this.library.get(id);
    return {
      title: detail.evidence.title,
      org,
      detail,
      base,
      action: `${base}/${id}/revisions`,
      uploadAction: `${base}/${id}/revisions?_csrf=${uploadToken}`,
      editAction: `${base}/${id}`,
      download: `/api/v1/orgs/${org.slug}/evidence/${id}/revisions`,
      canManage: roleAllows(org.role as Role | undefined, Permission.EvidenceManage),
      uploadTerms,
    };
  }
}
