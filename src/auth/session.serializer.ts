import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import { MembershipsService } from '../tenancy/memberships.service';
import { UsersService } from '../tenancy/users.service';
import { SecondFactors } from './mfa/second-factors';
import { SessionUser } from './session-user';

type Done<T> = (error: unknown, value?: T | false) => void;

/** Sessions store only the user id; each request restores the person, their memberships and their second factors. */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(
    private readonly users: UsersService,
    private readonly memberships: MembershipsService,
    private readonly factors: SecondFactors,
  ) {
    super();
  }

  serializeUser(user: { id: string }, done: Done<string>): void {
    done(null, user.id);
  }

  async deserializeUser(id: string, done: Done<SessionUser>): Promise<void> {
    try {
      const user = await this.users.findActive(id);
      if (!user) return done(null, false);
      const [memberships, secondFactors] = await Promise.all([this.memberships.summariesFor(user.id), this.factors.methodsOf(user.id)]);
      done(null, { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator, emailVerified: user.emailVerifiedAt !== null, memberships, secondFactors });
    } catch (error) {
      done(error);
    }
  }
}
