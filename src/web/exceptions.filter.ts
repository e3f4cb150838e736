import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { TransactionHost } from '../database/transaction-host';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { displayableValues } from '../common/web/displayable-values';
import { RequestWithFormView } from './form-view.guard';
import { isApiRequest } from '../common/web/is-api-request';
import { TenantContext } from '../common/tenant-context';
import { isDatabaseUnavailable } from '../common/errors/database-unavailable';
import { isTransactionConflict } from '../common/errors/transaction-conflict';
import { codeForStatus, CommonErrorCode } from '../common/errors/common-error-code';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorBody } from '../common/errors/field-errors';

/**
 * Statuses after which a form is shown again with what the person typed and the message: a refused
 * sign-in (401) included, and an expired session, whose form then says to sign in first.
 */
const FORM_STATUSES = new Set([400, 401, 409, 413, 415, 422, 423, 429]);
/** Refusals a form can answer itself, so it is shown again too: a consequential act asking for a fresh second factor. */
const FORM_CODES = new Set(['auth.step_up_required']);
const UNIQUE_VIOLATION = '23505';
/** Raised by the database's own guards, e.g. on a published code version; the message is written for people. */
const NOT_IN_PREREQUISITE_STATE = '55000';
/** Seconds a client is asked to wait when the database is unavailable: about a restart or a failover. */
const DATABASE_RETRY_AFTER = '5';
const SECRET_FIELDS = new Set(['password', 'currentPassword', 'newPassword', 'confirmPassword', '_csrf', 'code', 'stepUpCode']);

/**
 * One place that turns any error into the answer the caller expects: JSON `{statusCode, code, error,
 * message, details?}` for the API, a rendered page (or the form again, with field messages) for people.
 */
@Catch()
export class ExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(
    private readonly context: TenantContext,
    private readonly moduleRef: ModuleRef,
    private readonly tx: TransactionHost,
    private readonly config: AppConfig,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestWithFormView>();
    const response = http.getResponse<Response>();
    const body = this.toBody(exception, request);
    if (response.headersSent) return;
    // A module that knows when to come back says so itself; otherwise, in a minute.
    if (body.statusCode === 429 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', '60');
    if (body.statusCode === 503 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', DATABASE_RETRY_AFTER);

    if (isApiRequest(request)) {
      response.status(body.statusCode).json(body);
      return;
    }
    if (body.statusCode === HttpStatus.UNAUTHORIZED && request.method === 'GET') {
      response.redirect(303, `/signin?next=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    if (request.formView && (FORM_STATUSES.has(body.statusCode) || FORM_CODES.has(body.code))) {
      const model = await this.formModel(request);
      if (response.headersSent) return;
      response.status(body.statusCode).render(request.formView.view, {
        ...model,
        ...this.routeParams(request),
        org: this.context.hasOrganization ? this.context.organization : undefined,
        values: this.submittedValues(request),
        errors: body.details ?? {},
        formError: body.message,
      });
      return;
    }
    response.status(body.statusCode).render('error', { title: body.error, error: body });
  }

  private toBody(exception: unknown, request: Request): ErrorBody {
    const body = this.describe(exception, request);
    if (body.code !== undefined && (!(exception instanceof DomainException) || exception.listed)) return { ...body, code: body.code };
    // Every answer must carry a listed code; one without is a defect, which a test must not pass over.
    this.logger.error({ err: exception, path: request.path, status: body.statusCode, code: body.code }, 'An error has no listed code');
    if (this.config.nodeEnv === 'test') {
      const message = `An error answered ${body.statusCode} with ${body.code === undefined ? 'no code' : `the unlisted code ${body.code}`}: ${body.message}`;
      return { statusCode: 500, code: CommonErrorCode.Unlisted, error: STATUS_CODES[500]!, message };
    }
    return { ...body, code: body.code ?? CommonErrorCode.Internal };
  }

  private describe(exception: unknown, request: Request): DraftBody {
    if (exception instanceof InvalidInputException) {
      return withCode(CommonErrorCode.Invalid, { statusCode: 400, message: exception.message, details: exception.fields });
    }
    if (exception instanceof DomainException) {
      const body = withCode(exception.code, { statusCode: exception.listed ? exception.status : 500, message: exception.message });
      if (exception.details) body.details = exception.details;
      return { ...exception.extra, ...body };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      const message = typeof raw === 'string' ? raw : this.messageOf(raw) ?? exception.message;
      return withCode(codeForStatus(statusCode), { statusCode, message });
    }
    if (exception instanceof QueryFailedError && UNIQUE_VIOLATION === (exception.driverError as { code?: string }).code) {
      // Two requests raced to create the same thing; the loser learns it exists, nothing was written.
      return withCode(CommonErrorCode.Duplicate, { statusCode: 409, message: 'This conflicts with a record that was just created; reload and try again.' });
    }
    if (exception instanceof QueryFailedError && NOT_IN_PREREQUISITE_STATE === (exception.driverError as { code?: string }).code) {
      return withCode(CommonErrorCode.Refused, { statusCode: 409, message: (exception.driverError as Error).message });
    }
    if (this.isBodyParserError(exception)) {
      const { status, message } = exception as { status: number; message: string };
      return withCode(codeForStatus(status), { statusCode: status, message: `The request body could not be read: ${message}` });
    }
    if (isTransactionConflict(exception)) {
      // Already run again by the transaction host; what still collides is told as a conflict, never a fault.
      this.logger.warn({ err: exception, path: request.path }, 'A request still collided with others after running again');
      return withCode(CommonErrorCode.TransactionConflict, {
        statusCode: 409,
        message: 'Other requests were changing the same records at the same moment, and this one kept colliding with them; nothing was saved. Send it again.',
      });
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: exception, path: request.path }, 'The database is unavailable');
      return withCode(CommonErrorCode.Unavailable, {
        statusCode: 503,
        message: 'The database is unavailable at the moment, so the request may not have been carried out. Try again in a few seconds.',
      });
    }
    this.logger.error({ err: exception, path: request.path }, 'Unhandled error');
    return withCode(CommonErrorCode.Internal, { statusCode: 500, message: 'Something went wrong on our side; nothing was saved.' });
  }

  private messageOf(raw: object): string | undefined {
    const message = (raw as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : undefined;
  }

  private isBodyParserError(exception: unknown): boolean {
    const candidate = exception as { status?: unknown; type?: unknown };
    return typeof candidate?.status === 'number' && candidate.status >= 400 && candidate.status < 500 && typeof candidate.type === 'string';
  }

  /** The form's own data, read in a transaction of its own: the failed request's was rolled back. */
  private async formModel(request: RequestWithFormView): Promise<Record<string, unknown>> {
    const model = request.formView?.model;
    if (!model) return {};
    try {
      const provider = this.moduleRef.get(model, { strict: false });
      const scope = { organizationId: this.context.hasOrganization ? this.context.organizationId : undefined, userId: this.context.userId };
      return await this.tx.runScoped(scope, () => provider.locals(request));
    } catch (error) {
      this.logger.error({ err: error, path: request.path }, 'The form could not be shown again');
      return {};
    }
  }

  private submittedValues(request: Request): Record<string, unknown> {
    const body = displayableValues(request.body ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(body).filter(([key]) => !SECRET_FIELDS.has(key)));
  }

  private routeParams(request: Request): Record<string, unknown> {
    return { params: request.params, query: displayableValues(request.query) };
  }
}

/** An answer before its code is checked: `undefined` where nothing gave it one. */
type DraftBody = Omit<ErrorBody, 'code'> & { code: string | undefined };

/** The body in the order clients read it: status, code, name of the status, message, details. */
function withCode(code: string | undefined, { statusCode, message, details }: Pick<ErrorBody, 'statusCode' | 'message' | 'details'>): DraftBody {
  const body: DraftBody = { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (details) body.details = details;
  return body;
}
