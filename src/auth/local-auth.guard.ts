import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Request } from 'express';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { startSession } from './session';
import { SecondFactors } from './mfa/second-factors';
import { awaitSecondFactor } from './second-factor-session';
import { LOCAL_STRATEGY } from './strategies/local.strategy';

/**
 * Checks the email and password of a sign-in and starts the session; for a person with a second factor,
 * the session waits for it instead (`request.user` stays empty) and the route asks for the code.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard(LOCAL_STRATEGY) {
  constructor(private readonly factors: SecondFactors) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    this.requireCredentials(request);
    const allowed = (await super.canActivate(context)) as boolean;
    const user = request.user as { id: string };
    const methods = await this.factors.methodsOf(user.id);
    if (methods.length > 0) {
      await awaitSecondFactor(request, user.id, methods);
      request.user = undefined;
      return allowed;
    }
    await startSession(request, user);
    return allowed;
  }

  // Passport's own 401 would hide the reason (a throttled network): let the strategy's error through.
  handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new InvalidInputException({ email: ['email and password are required'] });
    return user;
  }

  private requireCredentials(request: Request): void {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const problems: Record<string, string[]> = {};
    if (typeof body.email !== 'string' || body.email.trim() === '') problems.email = ['email is required'];
    if (typeof body.password !== 'string' || body.password === '') problems.password = ['password is required'];
    if (Object.keys(problems).length > 0) throw new InvalidInputException(problems);
  }
}
