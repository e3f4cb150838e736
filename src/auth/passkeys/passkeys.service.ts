import { Injectable } from '@nestjs/common';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service';
import { isUuid } from '../../common/validation/uuid';
import { TransactionHost } from '../../database/transaction-host';
import { UsersService } from '../../tenancy/users.service';
import { AccountAlerts } from '../account-alerts';
import { AuthErrorCode, AuthException } from '../auth.exception';
import { keepChallenge, takeChallenge } from './passkey-challenges';
import { Passkey, PasskeyRows } from './passkey-rows';
import { PasskeyErrorCode, PasskeyException } from './passkeys.exception';
import { RelyingParty } from './relying-party';
import { SecondFactorProof, type FactorProof } from './second-factor-proof';

/** More than anyone needs (a phone, a laptop, two keys…), few enough that a list stays readable. */
export const MAX_PASSKEYS = 20;

/**
 * A person's passkeys: enrolment (options with a single-use challenge, then the authenticator's answer,
 * user verification required), the list, and removal, which takes the password and a factor proved
 * now. The owner is told by e-mail of every passkey added or removed, and the audit log records both.
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly rows: PasskeyRows,
    private readonly rp: RelyingParty,
    private readonly users: UsersService,
    private readonly proof: SecondFactorProof,
    private readonly audit: AuditService,
    private readonly alerts: AccountAlerts,
  ) {}

  list(userId: string): Promise<Passkey[]> {
    return this.rows.ofUser(userId);
  }

  /** Whether the person has a passkey to give as a second factor. */
  async hasAny(userId: string): Promise<boolean> {
    return (await this.rows.ofUser(userId)).length > 0;
  }

  async registrationOptions(request: Request, user: { id: string; email: string; name: string }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.rows.ofUser(user.id);
    if (existing.length >= MAX_PASSKEYS) {
      throw new PasskeyException(PasskeyErrorCode.AlreadyEnrolled, `You have ${MAX_PASSKEYS} passkeys, the most an account can have; remove one you no longer use first.`);
    }
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      // The user handle a discoverable passkey gives back at sign-in: the account's id, nothing personal.
      userID: new TextEncoder().encode(user.id),
      userName: user.email,
      userDisplayName: user.name,
      attestationType: 'none',
      // The same authenticator cannot be enrolled twice.
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: 120_000,
    });
    keepChallenge(request, 'enrol', options.challenge, user.id);
    return options;
  }

  async enrol(request: Request, userId: string, name: string, response: RegistrationResponseJSON): Promise<Passkey> {
    const challenge = takeChallenge(request, 'enrol', userId);
    let registration;
    try {
      const result = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        requireUserVerification: true,
      });
      if (!result.verified) throw new Error('the authenticator’s answer could not be verified');
      registration = result.registrationInfo;
    } catch (error) {
      throw new PasskeyException(PasskeyErrorCode.Rejected, `The new passkey was not accepted: ${(error instanceof Error ? error.message : String(error)).replace(/\.?$/, '.')}`);
    }
    const { credential } = registration;
    const passkey = await this.rows.insert({
      userId,
      credentialId: credential.id,
      publicKey: credential.publicKey,
      signCount: credential.counter,
      transports: credential.transports ?? [],
      name,
    });
    if (!passkey) throw new PasskeyException(PasskeyErrorCode.AlreadyEnrolled, 'This authenticator holds a passkey enrolled already; it cannot be added twice.');
    await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.passkey_added', targetType: 'passkey', targetId: passkey.id, data: { name } });
    await this.alerts.passkeyChanged({ userId, passkeyId: passkey.id, name, change: 'added', at: passkey.createdAt });
    return passkey;
  }

  /**
   * Removes one of the person's passkeys: another's, or none, is a 404; then the password, then any
   * factor (a passkey or a code). Three units of work, outside the request's: a wrong code is counted
   * by the factor's check even though the removal is refused.
   */
  async remove(request: Request, userId: string, id: string, password: string, factor: FactorProof): Promise<void> {
    const passkey = await this.tx.runScoped({ userId }, async () => {
      const found = isUuid(id) ? await this.rows.ofUserById(userId, id) : undefined;
      if (!found) throw new PasskeyException(PasskeyErrorCode.NotFound, 'No such passkey on your account.');
      if (!(await this.users.checkPassword(userId, password))) {
        throw new AuthException(AuthErrorCode.WrongPassword, 'The password is wrong.', { password: ['The password is wrong'] });
      }
      return found;
    });
    await this.proof.prove(request, userId, factor);
    await this.tx.runScoped({ userId }, async () => {
      await this.rows.delete(passkey.id);
      await this.audit.record({ organizationId: null, actorUserId: userId, action: 'account.passkey_removed', targetType: 'passkey', targetId: passkey.id, data: { name: passkey.name } });
      await this.alerts.passkeyChanged({ userId, passkeyId: passkey.id, name: passkey.name, change: 'removed', at: new Date() });
    });
  }
}
