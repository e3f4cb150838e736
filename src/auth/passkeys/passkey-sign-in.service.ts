import { Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service';
import { TransactionHost } from '../../database/transaction-host';
import { User } from '../../tenancy/entities/user.entity';
import { UsersService } from '../../tenancy/users.service';
import { pendingSignIn } from '../second-factor-session';
import { PasskeyAssertions } from './passkey-assertions';
import { PasskeyErrorCode, PasskeyException } from './passkeys.exception';

/**
 * Signing in with a passkey, each step a unit of work of its own (the session changes after the
 * commit). Without a password, any discoverable passkey of this site may answer. When the session holds
 * a sign-in whose password was right and whose second factor is owed, only that person's passkeys may,
 * and the passkey is that second factor.
 */
@Injectable()
export class PasskeySignIn {
  constructor(
    private readonly tx: TransactionHost,
    private readonly assertions: PasskeyAssertions,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  options(request: Request): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const pending = pendingSignIn(request);
    return this.tx.runScoped({ userId: pending?.userId }, () => this.assertions.options(request, 'sign-in', pending?.userId));
  }

  /** The person whose passkey answered; the caller then starts their session. */
  async verify(request: Request, response: AuthenticationResponseJSON): Promise<User> {
    const pending = pendingSignIn(request);
    return this.tx.runScoped({ userId: pending?.userId }, async () => {
      const { userId, passkeyId } = await this.assertions.verify(request, 'sign-in', response, pending?.userId);
      // A suspended person's passkey answers as an unknown one, as their password answers as a wrong one.
      const user = await this.users.findById(userId);
      if (user.suspendedAt) throw new PasskeyException(PasskeyErrorCode.UnknownCredential, 'This passkey is not known to Adhere: it was removed, or it belongs to another site.');
      await this.audit.record({
        organizationId: null,
        actorUserId: userId,
        action: 'account.signed_in',
        targetType: 'user',
        targetId: userId,
        data: { method: 'passkey', passkeyId, secondFactor: Boolean(pending) },
      });
      return user;
    });
  }
}
