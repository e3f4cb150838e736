import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-local';
import { TransactionHost } from '../../database/transaction-host';
import { userJson } from '../../tenancy/tenancy.mapper';
import { AuthErrorCode, AuthException } from '../auth.exception';
import { SignInService } from '../sign-in.service';
import { SingleSignOnRule, ssoRequiredMessage } from '../single-sign-on-rule';

export const LOCAL_STRATEGY = 'local';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, LOCAL_STRATEGY) {
  constructor(
    private readonly signIn: SignInService,
    private readonly tx: TransactionHost,
    private readonly singleSignOn: SingleSignOnRule,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(request: Request, email: string, password: string): Promise<{ id: string; email: string; name: string }> {
    // Before any password is checked: an address its organization signs in by SSO takes none at all.
    const ssoOnly = await this.tx.runScoped({}, () => this.singleSignOn.ssoOnlyFor(email));
    if (ssoOnly) throw new AuthException(AuthErrorCode.SsoRequired, ssoRequiredMessage(ssoOnly), { email: [ssoRequiredMessage(ssoOnly)] });
    return userJson(await this.signIn.verify(email, password, request.ip));
  }
}
