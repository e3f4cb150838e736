import { csrfSync } from 'csrf-sync';
import { Request } from 'express';

/**
 * Synchroniser tokens kept in the server-side session: forms send `_csrf`, cookie-authenticated API
 * calls send `X-CSRF-Token`. A file upload form carries it in its action's query instead, because
 * its body is streamed to storage only after the access guard has let the request in.
 */
export const csrf = csrfSync({
  size: 32,
  getTokenFromRequest: (request: Request) =>
    (request.headers['x-csrf-token'] as string | undefined) ??
    ((request.body as Record<string, unknown> | undefined)?._csrf as string | undefined) ??
    (request.is('multipart/form-data') ? (request.query._csrf as string | undefined) : undefined),
});

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
