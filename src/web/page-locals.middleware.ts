import type { NextFunction, Request, Response } from 'express';
import { csrf } from '../access/csrf';
import { keepOutOfCaches } from '../common/web/private-answers.middleware';

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
 * The form token, made only when a page writes it out (Handlebars turns values into text as it writes
 * them): a page without a form starts no session, and a page with one is kept out of every cache.
 * A page fetched with an API token has no session to hold a form token, and must not start one.
 */
class FormToken {
  constructor(
    private readonly request: Request,
    private readonly response: Response,
  ) {}

  toString(): string {
    if (this.request.headers.authorization) return '';
    keepOutOfCaches(this.response);
    return csrf.generateToken(this.request);
  }
}

/**
 * What every page's layout shows: the signed-in person, their organizations, the form token and a
 * one-time message. Read lazily, when a page is rendered, so that API calls leave the session alone.
 */
export function pageLocals(request: Request, response: Response, next: NextFunction): void {
  response.locals.currentUser = request.user;
  response.locals.csrfToken = new FormToken(request, response);
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
