import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { TenantContext } from '../common/tenant-context';
import { from, lastValueFrom, Observable } from 'rxjs';
import { TransactionHost } from './transaction-host';
import { WITHOUT_TRANSACTION } from './without-transaction.decorator';

/**
 * Runs each request in one transaction scoped to the organization and user the access guard resolved:
 * everything the handler writes commits together or not at all. A transaction PostgreSQL aborts for
 * colliding with another runs the handler again, from its parameters, as long as nothing has been sent:
 * bodies are read whole before the handler, or kept by the handler's reader (answers files).
 */
@Injectable()
export class RequestTransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly context: TenantContext,
    private readonly tx: TransactionHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const skip = this.reflector.getAllAndOverride<boolean>(WITHOUT_TRANSACTION, [context.getHandler(), context.getClass()]);
    if (skip || context.getType() !== 'http') return next.handle();
    const scope = {
      organizationId: this.context.hasOrganization ? this.context.organizationId : undefined,
      userId: this.context.userId,
    };
    const response = context.switchToHttp().getResponse<Response>();
    return from(this.tx.runScoped(scope, () => lastValueFrom(next.handle(), { defaultValue: undefined }), { canRunAgain: () => !response.headersSent }));
  }
}
