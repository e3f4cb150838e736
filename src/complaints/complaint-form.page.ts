import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { RegisterDirectory } from '../register/register-directory';
import { CATEGORY_LABELS, COMPLAINT_CATEGORIES } from './complaint-categories';
import { COMPLAINT_TEXT_MAX } from './dto/file-complaint.dto';

/** The complaint form of one register entry: the entry it is about and the categories to choose from. */
@Injectable()
export class ComplaintFormModel implements FormModel {
  constructor(private readonly directory: RegisterDirectory) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const entry = await this.directory.entry(request.params.id as string);
    return {
      title: `Complain about ${entry.service.name}`,
      description: `Tell the monitoring body of ${entry.service.name} by ${entry.provider.name} that it does not meet its code of conduct. No account needed.`,
      entry,
      action: `/register/${entry.id}/complaints`,
      categories: COMPLAINT_CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] })),
      textMax: COMPLAINT_TEXT_MAX,
    };
  }
}
