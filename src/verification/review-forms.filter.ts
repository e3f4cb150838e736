import { ArgumentsHost, Catch, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ExceptionsFilter } from '../web/exceptions.filter';
import { setFlash } from '../web/page-locals.middleware';
import { VerificationException } from './verification.exception';

/**
 * The review page shows each form only to the person who may use it, but the assignment or the
 * decision can change between loading the page and posting: the review rules then answer 403. A form
 * cannot be shown again for someone no longer allowed to use it, so the person goes back to the
 * review as it now stands, with the reason. Everything else is answered as everywhere else.
 */
@Catch()
export class ReviewFormsFilter extends ExceptionsFilter {
  override async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const refused = exception instanceof VerificationException && exception.status === HttpStatus.FORBIDDEN;
    if (refused && request.method === 'POST' && request.session && request.params.id && !response.headersSent) {
      setFlash(request, 'error', exception.message);
      response.redirect(303, `/app/${encodeURIComponent(request.params.org as string)}/reviews/${encodeURIComponent(request.params.id as string)}`);
      return;
    }
    await super.catch(exception, host);
  }
}
