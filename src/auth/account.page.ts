import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import { passkeyJson } from './passkeys/passkeys.mapper';
import { PasskeysService } from './passkeys/passkeys.service';
import { SessionUser } from './session-user';

/** What the account page shows besides its forms' values, also when a refused post shows it again. */
@Injectable()
export class AccountPageModel implements FormModel {
  constructor(private readonly passkeys: PasskeysService) {}

  async locals(request: Request) {
    return { title: 'Your account', passkeys: (await this.passkeys.list((request.user as SessionUser).id)).map(passkeyJson) };
  }
}
