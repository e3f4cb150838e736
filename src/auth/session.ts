import { Request } from 'express';

/** Signs a person in on this request's session (a new session id, against fixation). */
export function startSession(request: Request, user: { id: string }): Promise<void> {
  return new Promise((resolve, reject) => request.logIn(user, (error) => (error ? reject(error) : resolve())));
}

export function endSession(request: Request): Promise<void> {
  return new Promise((resolve, reject) => request.logOut((error) => (error ? reject(error) : resolve())));
}
