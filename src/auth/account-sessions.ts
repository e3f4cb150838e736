import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { SessionSecret } from '../config/session-secret.provider';
import { TransactionHost } from '../database/transaction-host';
import { AuthErrorCode, AuthException } from './auth.exception';
import { SessionActivity, sessionExpiry } from './session-activity';
import { UserSessions } from './user-sessions';

export interface SessionView {
  /** Stands for the session without being its cookie value: an HMAC of the session id. */
  id: string;
  device: string;
  place: string;
  startedAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

interface StoredSession {
  sid: string;
  activity: SessionActivity | null;
}

/** A person's own signed-in sessions: where they are, and ending one or all but this one. */
@Injectable()
export class AccountSessions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly secret: SessionSecret,
    private readonly sessions: UserSessions,
    private readonly audit: AuditService,
  ) {}

  /** The person's live sessions, the one asking first, then the most recently used. */
  async list(userId: string, currentSid: string): Promise<SessionView[]> {
    const now = Date.now();
    const views = (await this.stored(userId))
      .filter(({ activity }) => !activity || !sessionExpiry(activity, now))
      .map(({ sid, activity }) => ({
        id: this.viewId(sid),
        device: activity?.device ?? 'Unknown device',
        place: activity?.place ?? 'Unknown place',
        startedAt: new Date(activity?.startedAt ?? now),
        lastSeenAt: new Date(activity?.lastSeenAt ?? now),
        current: sid === currentSid,
      }));
    return views.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
  }

  /** Ends one of the person's own sessions; any other id, another person's included, is not found. */
  async end(userId: string, id: string): Promise<void> {
    const session = /^[0-9a-f]{32}$/.test(id) ? (await this.stored(userId)).find(({ sid }) => this.viewId(sid) === id) : undefined;
    if (!session) throw new AuthException(AuthErrorCode.SessionNotFound, 'You have no signed-in session with this id; it may have ended already.');
    await this.tx.manager.query(`DELETE FROM sessions WHERE sid = $1`, [session.sid]);
    await this.audit.record({ organizationId: null, action: 'account.session_ended', targetType: 'user', targetId: userId, data: { session: id } });
  }

  /** "Sign out everywhere else": every session of the person but the one asking. */
  async endOthers(userId: string, currentSid: string): Promise<void> {
    await this.sessions.endAll(userId, currentSid);
    await this.audit.record({ organizationId: null, action: 'account.other_sessions_ended', targetType: 'user', targetId: userId });
  }

  private viewId(sid: string): string {
    return createHmac('sha256', this.secret.value).update(`session-view:${sid}`).digest('hex').slice(0, 32);
  }

  private async stored(userId: string): Promise<StoredSession[]> {
    return (await this.tx.manager.query(
      `SELECT sid, sess -> 'activity' AS activity FROM sessions WHERE sess -> 'passport' ->> 'user' = $1 AND expire > now()`,
      [userId],
    )) as StoredSession[];
  }
}
