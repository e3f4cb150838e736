import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { FormModel } from '../web/form-view.decorator';
import { pendingSignIn } from './second-factor-session';

/**
 * The sign-in's second page: which factors the waiting sign-in may give (a code, a passkey, or both),
 * also when a wrong code shows it again.
 */
export function signInMfaPage(request: Request) {
  const methods = pendingSignIn(request)?.methods ?? [];
  const code = methods.includes('totp');
  const passkey = methods.includes('passkey');
  return {
    title: code || !passkey ? 'Enter your code' : 'Confirm with your passkey',
    description: 'The second step of signing in to Adhere.',
    pending: methods.length > 0,
    // A sign-in with no factor named (none waiting) still shows the code form, which says what to do.
    code: code || !passkey,
    passkey,
  };
}

@Injectable()
export class SignInMfaPageModel implements FormModel {
  locals(request: Request): Promise<Record<string, unknown>> {
    return Promise.resolve(signInMfaPage(request));
  }
}
