import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Request } from 'express';
import { InvalidInputException } from '../common/validation/invalid-input.exception';
import { startSession } from './session';
import { LOCAL_STRATEGY } from './strategies/local.strategy';

/** Checks the email and password of a sign-in and starts the session. */
@Injectable()
export class LocalAuthGuard extends AuthGuard(LOCAL_STRATEGY) {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    this.requireCredentials(request);
    const allowed = (await super.canActivate(context)) as boolean;
    await startSession(request, request.user as { id: string });
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
