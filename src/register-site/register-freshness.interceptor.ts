import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, Observable, switchMap } from 'rxjs';
import { isApiRequest } from '../common/web/is-api-request';
import { openToOtherSites } from '../common/web/open-to-other-sites';
import { RegisterDirectory } from '../register/register-directory';

/**
 * Conditional requests for the register's public answers. The ETag names the register's revision
 * (bumped by every committed change to entries, history or complaints) and what was asked, so a
 * change shows at once while an unchanged answer costs a 304. Express answers the 304 itself when
 * the body is sent (`req.fresh`); `no-cache` makes every cache revalidate before reuse.
 */
@Injectable()
export class RegisterFreshness implements NestInterceptor {
  constructor(private readonly directory: RegisterDirectory) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next.handle();
    return from(this.directory.revision()).pipe(
      switchMap((revision) => {
        applyFreshness(request, response, revision);
        return next.handle();
      }),
    );
  }
}

/** Sets the ETag and caching headers of a register answer at the given revision. */
export function applyFreshness(request: Request, response: Response, revision: string): void {
  response.locals.registerRevision = revision;
  // A signed-in visitor's pages carry their own navigation: kept by no cache (src/common/web/private-answers.middleware.ts).
  const viewer = (request.user as { id?: string } | undefined)?.id ?? '';
  const asked = createHash('sha256').update(`${request.originalUrl}\n${request.headers.accept ?? ''}\n${viewer}`).digest('base64url').slice(0, 16);
  response.setHeader('ETag', `W/"r${revision}-${asked}"`);
  response.setHeader('Cache-Control', viewer ? 'no-store' : 'public, no-cache');
  response.setHeader('Vary', 'Accept, Cookie');
  if (isApiRequest(request)) openToOtherSites(response);
}
