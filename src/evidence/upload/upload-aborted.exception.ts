import { BadRequestException } from '@nestjs/common';

/** The client went away before the whole body arrived; there is no one left to answer, nothing was kept. */
export class UploadAbortedException extends BadRequestException {
  constructor() {
    super('The upload was interrupted before the file was complete; nothing was kept.');
  }
}
