import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { AccountSessions } from './account-sessions';
import { EmailVerificationService } from './email-verification.service';
import { passkeyJson } from './passkeys/passkeys.mapper';
import { PasskeysService } from './passkeys/passkeys.service';
import { SessionUser } from './session-user';

/**
 * What the account page shows besides its forms' values, also when a refused post shows it again: the
 * person's signed-in sessions, this one marked, their passkeys, and the new address that waits for its
 * link, if any.
 */
@Injectable()
export class AccountPageModel implements FormModel {
  constructor(
    private readonly sessions: AccountSessions,
    private readonly passkeys: PasskeysService,
    private readonly verifications: EmailVerificationService,
  ) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    // A refusal of access shows the form again too, to nobody's sessions or passkeys.
    const user = request.user as SessionUser | undefined;
    if (!user) return { title: 'Your account', sessions: [], passkeys: [] };
    const sessions = await this.sessions.list(user.id, request.sessionID);
    const passkeys = (await this.passkeys.list(user.id)).map(passkeyJson);
    const pendingEmail = await this.verifications.pendingChange(user.id);
    return { title: 'Your account', sessions, otherSessions: sessions.some((session) => !session.current), passkeys, pendingEmail };
  }
}
