import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('Sessions');

/**
 * Stores the session before a redirect leaves. express-session sends a response's headers before it
 * has stored the session, and a browser follows a redirect as soon as it has the headers, so the next
 * page could read the session as it was before this request (without the flash message it set), as
 * happens when the store's connection pool runs the two queries on different connections. A session
 * that holds nothing is left alone, as express-session leaves it.
 *
 * A session that cannot be stored does not stop the redirect: the request's work is done by then, and
 * the next page shows the visitor as the session stood before (at worst without its message, or signed
 * out), as express-session itself would. This middleware's `next` was called long before, so an error
 * passed to it here would reach past the application's error handling.
 */
export function saveSessionBeforeRedirect(request: Request, response: Response, next: NextFunction): void {
  const redirect = response.redirect.bind(response) as (...args: unknown[]) => void;
  response.redirect = ((...args: unknown[]) => {
    const session = request.session;
    if (!session || Object.keys(session).every((key) => key === 'cookie')) return redirect(...args);
    session.save((error?: Error) => {
      if (error) logger.warn(`The session could not be stored before a redirect: ${error.message}`);
      redirect(...args);
    });
  }) as Response['redirect'];
  next();
}
