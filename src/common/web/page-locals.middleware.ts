import type { NextFunction, Request, Response } from 'express';
import { csrf } from '../../auth/csrf';

export interface Flash {
  kind: 'success' | 'error';
  message: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: Flash;
  }
}

/**
 * What every page's layout shows: the signed-in person, their organizations, the form token and a
 * one-time message. Read lazily, when a page is rendered, so that API calls leave the session alone.
 */
export function pageLocals(request: Request, response: Response, next: NextFunction): void {
  response.locals.currentUser = request.user;
  // A page fetched with an API token has no session to hold a form token, and must not start one.
  Object.defineProperty(response.locals, 'csrfToken', { enumerable: true, get: () => (request.headers.authorization ? '' : csrf.generateToken(request)) });
  Object.defineProperty(response.locals, 'flash', {
    enumerable: true,
    get: () => {
      const flash = request.session?.flash;
      if (flash) delete request.session.flash;
      return flash;
    },
  });
  next();
}

export function setFlash(request: Request, kind: Flash['kind'], message: string): void {
  request.session.flash = { kind, message };
}
