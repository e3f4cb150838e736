import { Injectable } from '@nestjs/common';
import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Request } from 'express';
import { ChallengePurpose, keepChallenge, takeChallenge } from './passkey-challenges';
import { PasskeyRows } from './passkey-rows';
import { PasskeyErrorCode, PasskeyException } from './passkeys.exception';
import { RelyingParty } from './relying-party';

/** How long the browser lets the person answer, in milliseconds; the challenge lives a little longer. */
const TIMEOUT_MS = 120_000;

/** The library's reasons for refusing an assertion, most of them addressed to developers, said for people. */
function refusal(error: unknown): PasskeyException {
  const reason = error instanceof Error ? error.message : String(error);
  if (/counter/i.test(reason)) {
    return new PasskeyException(
      PasskeyErrorCode.CounterRegressed,
      'This passkey answered with a signature counter lower than the one it gave before, which is what a copied passkey does. It was not accepted; remove it from your account and add a new one.',
    );
  }
  return new PasskeyException(PasskeyErrorCode.Rejected, `The passkey’s answer was not accepted: ${reason.replace(/\.?$/, '.')}`);
}

/**
 * Passkeys answering challenges: options for the browser's `navigator.credentials.get()`, each with a
 * single-use challenge kept on the session for its purpose, and the check of the answer (signature,
 * origin, relying party, user verification, counter).
 */
@Injectable()
export class PasskeyAssertions {
  constructor(
    private readonly rows: PasskeyRows,
    private readonly rp: RelyingParty,
  ) {}

  /**
   * Options for `purpose`. For a known person (a step-up, or a sign-in whose password was checked) only
   * their passkeys are allowed, and they must have one; for a sign-in without a password any
   * discoverable passkey of this site may answer.
   */
  async options(request: Request, purpose: ChallengePurpose, userId?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const passkeys = userId ? await this.rows.ofUser(userId) : [];
    if (userId && passkeys.length === 0) {
      throw new PasskeyException(PasskeyErrorCode.NoPasskey, 'You have no passkey yet. Add one on your account page, /account, or use another way to prove it is you.');
    }
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      userVerification: 'required',
      timeout: TIMEOUT_MS,
    });
    keepChallenge(request, purpose, options.challenge, userId);
    return options;
  }

  /**
   * Checks an answer to the session's challenge for `purpose`, which it uses up, and records the use.
   * When the challenge was for a known person, only their passkeys count; `forUserId` requires that it
   * was issued for that person. Returns whose passkey it was.
   */
  async verify(request: Request, purpose: ChallengePurpose, response: AuthenticationResponseJSON, forUserId?: string): Promise<{ userId: string; passkeyId: string }> {
    const { challenge, userId } = takeChallenge(request, purpose, forUserId);
    const passkey = await this.rows.byCredential(response.id);
    const handle = response.response.userHandle;
    if (!passkey || (userId && passkey.userId !== userId) || (handle && Buffer.from(handle, 'base64url').toString('utf8') !== passkey.userId)) {
      throw new PasskeyException(
        PasskeyErrorCode.UnknownCredential,
        userId ? 'This passkey is not one of the passkeys of your account.' : 'This passkey is not known to Adhere: it was removed, or it belongs to another site.',
      );
    }
    let newCounter: number;
    try {
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.signCount, transports: passkey.transports },
        requireUserVerification: true,
      });
      if (!result.verified) throw new Error('its signature does not match the passkey');
      newCounter = result.authenticationInfo.newCounter;
    } catch (error) {
      throw refusal(error);
    }
    if (!(await this.rows.used(passkey.id, passkey.signCount, newCounter))) throw refusal(new Error('counter already used'));
    return { userId: passkey.userId, passkeyId: passkey.id };
  }
}
