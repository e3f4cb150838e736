import { Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Request } from 'express';
import { InvalidInputException } from '../../common/validation/invalid-input.exception';
import { TransactionHost } from '../../database/transaction-host';
import { SecondFactorCheck } from '../mfa/second-factor-check';
import { markSecondFactor, SecondFactorMethod } from '../second-factor-session';
import { PasskeyAssertions } from './passkey-assertions';

/** A factor given with a request that needs one now (removing a factor, a step-up): exactly one of the two. */
export interface FactorProof {
  /** A current code from the authenticator app, or an unused recovery code. */
  code?: string;
  /** The answer to the session's step-up challenge (POST /api/v1/auth/step-up/passkey/options). */
  response?: AuthenticationResponseJSON;
}

const ONE_PROOF = 'Give one second factor: a code from your authenticator app (or a recovery code) as "code", or a passkey’s answer as "response"';

/**
 * The one place that checks a factor proved with a request, whichever it is, so that every act needing
 * one accepts the same factors. A proof counts as a step-up too: the session just proved a factor.
 * It opens its own transactions (a wrong code is counted even when the request is refused), so it is
 * called outside one.
 */
@Injectable()
export class SecondFactorProof {
  constructor(
    private readonly tx: TransactionHost,
    private readonly assertions: PasskeyAssertions,
    private readonly codes: SecondFactorCheck,
  ) {}

  async prove(request: Request, userId: string, proof: FactorProof): Promise<SecondFactorMethod> {
    const hasCode = typeof proof.code === 'string' && proof.code.trim() !== '';
    if (hasCode === (proof.response !== undefined)) {
      const message = hasCode ? 'Give either a code or a passkey’s answer, not both' : ONE_PROOF;
      throw new InvalidInputException({ code: [message], response: [message] });
    }
    const method = hasCode ? await this.codes.prove(userId, proof.code!) : await this.passkey(request, userId, proof.response!);
    markSecondFactor(request);
    return method;
  }

  private async passkey(request: Request, userId: string, response: AuthenticationResponseJSON): Promise<'passkey'> {
    // The step-up challenge was issued for this person only, so another's passkey cannot answer it.
    await this.tx.runScoped({ userId }, () => this.assertions.verify(request, 'step-up', response, userId));
    return 'passkey';
  }
}
