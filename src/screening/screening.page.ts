import { Injectable } from '@nestjs/common';
import type { FormModel } from '../web/form-view.decorator';
import { HASH_LIST_FILE_LIMIT } from './hash-list-upload.middleware';
import { HashLists } from './hash-lists';
import { UploadIncidents } from './upload-incidents';

/** What the screening page shows, also when a form on it comes back with errors. */
@Injectable()
export class ScreeningPageModel implements FormModel {
  constructor(
    private readonly lists: HashLists,
    private readonly incidents: UploadIncidents,
  ) {}

  async locals(): Promise<Record<string, unknown>> {
    const incidents = await this.incidents.list();
    return {
      title: 'Screening',
      lists: await this.lists.list(),
      open: incidents.filter((incident) => !incident.resolvedAt),
      resolved: incidents.filter((incident) => incident.resolvedAt),
      maxListMiB: HASH_LIST_FILE_LIMIT / 1024 ** 2,
    };
  }
}
