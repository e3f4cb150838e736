import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { EmailVerificationService } from './email-verification.service';
import { SessionUser } from './session-user';

/** The account page: besides the forms, whether the address is confirmed and which new one waits for its link. */
@Injectable()
export class AccountPageModel implements FormModel {
  constructor(private readonly verifications: EmailVerificationService) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const user = request.user as SessionUser;
    return { title: 'Your account', pendingEmail: await this.verifications.pendingChange(user.id) };
  }
}
