import { Injectable } from '@nestjs/common';
import { FormModel } from '../web/form-view.decorator';

export const TITLE = 'Verify an attestation';
export const DESCRIPTION = 'Paste a signed attestation from the Adhere register to check its signature, what it claims, and what the register shows today.';

/** What the verify form shows again after a refused post: only its title. */
@Injectable()
export class VerifyFormModel implements FormModel {
  locals() {
    return Promise.resolve({ title: TITLE, description: DESCRIPTION });
  }
}
