import { Request } from 'express';
import { recordSessionStart } from './session-activity';

/**
 * Signs a person in on this request's session (a new session id, against fixation). Every way of
 * signing in ends here, so each session notes its device, place and start in one place.
 */
export async function startSession(request: Request, user: { id: string }): Promise<void> {
  await new Promise<void>((resolve, reject) => request.logIn(user, (error) => (error ? reject(error) : resolve())));
  recordSessionStart(request);
}

export function endSession(request: Request): Promise<void> {
  return new Promise((resolve, reject) => request.logOut((error) => (error ? reject(error) : resolve())));
}
