import { Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Request } from 'express';
import { markSecondFactor, SecondFactorMethod } from '../second-factor-session';
import { PasskeyAssertions } from './passkey-assertions';

/** A factor given with a request that needs one now (removing a factor): for now a passkey's answer. */
export interface FactorProof {
  /** The answer to the session's step-up challenge (POST /api/v1/auth/step-up/passkey/options). */
  response: AuthenticationResponseJSON;
}

/**
 * The one place that checks a factor proved with a request, whichever it is, so that every act needing
 * one accepts the same factors. A proof counts as a step-up too: the session just proved a factor.
 */
@Injectable()
export class SecondFactorProof {
  constructor(private readonly assertions: PasskeyAssertions) {}

  async prove(request: Request, userId: string, proof: FactorProof): Promise<SecondFactorMethod> {
    // The step-up challenge was issued for this person only, so another's passkey cannot answer it.
    await this.assertions.verify(request, 'step-up', proof.response, userId);
    markSecondFactor(request);
    return 'passkey';
  }
}
