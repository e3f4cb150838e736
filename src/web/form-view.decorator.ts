import { SetMetadata, Type } from '@nestjs/common';
import type { Request } from 'express';

export const FORM_VIEW = 'adhere:form-view';

/**
 * What a form page shows besides the submitted values (the choices of a select, say), loaded again
 * when the form is re-rendered after a failed post. Implementations are providers of their module.
 */
export interface FormModel {
  locals(request: Request): Promise<Record<string, unknown>>;
}

export interface FormViewSpec {
  view: string;
  model?: Type<FormModel>;
}

/**
 * Names the view a form posts from; when the post fails (bad input, a conflict), the page is rendered
 * again with the submitted values, a message beside each field, and the locals of `model` if given.
 */
export const FormView = (view: string, model?: Type<FormModel>) => SetMetadata(FORM_VIEW, { view, model } satisfies FormViewSpec);
