import type { NextFunction, Request, Response } from 'express';
import { LAST_SEEN_STEP_MS, recordSessionStart, sessionExpiry } from './session-activity';

/**
 * Runs before the session's person is restored. A signed-in session past its idle or absolute limit is
 * ended (destroyed in the store, replaced by an empty one), so the request goes on signed out. Otherwise
 * its last-seen time moves on, at most once a minute: the change rides on the session's own save at the
 * end of the request, which replaces the expiry update express-session makes on every request anyway.
 * A signed-in session with no activity (started before sessions kept it) starts keeping it now.
 */
export function sessionLimits(request: Request, _response: Response, next: NextFunction): void {
  const session = request.session;
  if (!session?.passport?.user) return next();
  const activity = session.activity;
  if (!activity) {
    recordSessionStart(request);
    return next();
  }
  const now = Date.now();
  if (sessionExpiry(activity, now)) {
    session.regenerate((error) => next(error));
    return;
  }
  if (now - activity.lastSeenAt >= LAST_SEEN_STEP_MS) activity.lastSeenAt = now;
  next();
}
