import { Injectable } from '@nestjs/common';
import { TenantContext } from '../common/tenant-context';
import { TransactionHost } from '../database/transaction-host';
import { Organization } from '../tenancy/entities/organization.entity';
import { User } from '../tenancy/entities/user.entity';
import { FoundingService } from '../tenancy/founding.service';
import { NewOrganization } from '../tenancy/organizations.service';
import { organizationNameLooksTaken, TenancyErrorCode, TenancyException } from '../tenancy/tenancy.exception';
import { UsersService } from '../tenancy/users.service';
import { EmailVerificationService } from './email-verification.service';

export interface SignUp {
  email: string;
  password: string;
  name: string;
  organization: NewOrganization;
}

/** Creates a person's account and the organization they found, and mails the link that proves the address, in one transaction. */
@Injectable()
export class SignUpService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly context: TenantContext,
    private readonly users: UsersService,
    private readonly founding: FoundingService,
    private readonly verifications: EmailVerificationService,
  ) {}

  signUp(input: SignUp): Promise<{ user: User; organization: Organization }> {
    return this.tx.runScoped({}, async () => {
      const user = await this.users.create({ email: input.email, name: input.name, password: input.password });
      this.context.setCaller({ userId: user.id, isOperator: false });
      const organization = await this.founding.found(user.id, input.organization).catch((error: unknown) => {
        // The sign-up form has the organization's name under `organization`.
        throw error instanceof TenancyException && error.code === TenancyErrorCode.NameLooksTaken ? organizationNameLooksTaken('organization.name') : error;
      });
      // The account works at once; what binds the organization or speaks for it waits for the address's proof.
      await this.verifications.send(user.id, user.email);
      return { user, organization };
    });
  }
}
