import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { FORM_VIEW, FormViewSpec } from './form-view.decorator';

export type RequestWithFormView = Request & { formView?: FormViewSpec };

/**
 * Notes which form a route re-renders when it fails. It runs first, so that failures in the access
 * and sign-in guards also come back as the form with its messages.
 */
@Injectable()
export class FormViewGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const spec = this.reflector.get<FormViewSpec | undefined>(FORM_VIEW, context.getHandler());
    if (spec) context.switchToHttp().getRequest<RequestWithFormView>().formView = spec;
    return true;
  }
}
