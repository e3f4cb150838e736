import { csrfSync } from 'csrf-sync';
import { Request } from 'express';

/**
 * Synchroniser tokens kept in the server-side session: forms send `_csrf`, cookie-authenticated API
 * calls send `X-CSRF-Token`.
 */
export const csrf = csrfSync({
  size: 32,
  getTokenFromRequest: (request: Request) =>
    (request.headers['x-csrf-token'] as string | undefined) ?? ((request.body as Record<string, unknown> | undefined)?._csrf as string | undefined),
});

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
