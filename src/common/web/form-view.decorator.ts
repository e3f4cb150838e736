import { SetMetadata } from '@nestjs/common';

export const FORM_VIEW = 'adhere:form-view';

/**
 * Names the view a form posts from; when the post fails (bad input, a conflict), the page is rendered
 * again with the submitted values and a message beside each field.
 */
export const FormView = (view: string) => SetMetadata(FORM_VIEW, view);
