import type { NextFunction, Request, Response } from 'express';
import onHeaders from 'on-headers';

const KEEP_OUT_OF_CACHES = 'keepOutOfCaches';

/**
 * No cache may keep this answer: it answers an authenticated caller, or holds a secret (a form token,
 * a new API token, an invitation or setup link).
 */
export function keepOutOfCaches(response: Response): void {
  response.locals[KEEP_OUT_OF_CACHES] = true;
}

/**
 * No cache, a shared one or the browser's own, may keep an answer meant for one person: every answer
 * to a request made with a session or an API token, every answer that carries a secret, and every
 * answer that sets a cookie. Decided as the headers leave, so it holds whatever a route set before.
 * Added before the session middleware, so that it runs after the session has set its cookie.
 */
export function privateAnswers(request: Request, response: Response, next: NextFunction): void {
  onHeaders(response, () => {
    const signedIn = request.user !== undefined && request.user !== null;
    if (response.locals[KEEP_OUT_OF_CACHES] === true || signedIn || request.headers.authorization || response.getHeader('Set-Cookie') !== undefined) {
      response.setHeader('Cache-Control', 'no-store');
    }
  });
  next();
}
