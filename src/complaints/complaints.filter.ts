import { ArgumentsHost, Catch } from '@nestjs/common';
import type { Response } from 'express';
import { ExceptionsFilter } from '../web/exceptions.filter';
import { TooManyComplaints } from './complaints.exception';

/**
 * Answers as everywhere else, except that a refused complaint's Retry-After says when a place in the
 * client's hour frees up, instead of the minute every other 429 suggests.
 */
@Catch()
export class ComplaintsFilter extends ExceptionsFilter {
  override async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    if (exception instanceof TooManyComplaints) {
      host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    await super.catch(exception, host);
  }
}
