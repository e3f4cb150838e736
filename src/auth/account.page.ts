import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { AccountSessions } from './account-sessions';
import { SessionUser } from './session-user';

/** The account page: besides its forms, the person's signed-in sessions, this one marked. */
@Injectable()
export class AccountFormModel implements FormModel {
  constructor(private readonly sessions: AccountSessions) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    // A refusal of access shows the form again too, to nobody's sessions.
    const user = request.user as SessionUser | undefined;
    if (!user) return { title: 'Your account', sessions: [] };
    const sessions = await this.sessions.list(user.id, request.sessionID);
    return { title: 'Your account', sessions, otherSessions: sessions.some((session) => !session.current) };
  }
}
