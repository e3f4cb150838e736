import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { ActiveOrganization, Caller, CONTEXT_KEYS } from './request-context';

/** The organization and caller of the current request. Reading one that is not set fails loudly. */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService) {}

  get organization(): ActiveOrganization {
    const organization = this.cls.isActive() ? this.cls.get<ActiveOrganization | undefined>(CONTEXT_KEYS.organization) : undefined;
    if (!organization) throw new Error('No organization in context: this code must run on an organization route');
    return organization;
  }

  get hasOrganization(): boolean {
    return this.cls.isActive() && this.cls.get(CONTEXT_KEYS.organization) !== undefined;
  }

  get organizationId(): string {
    return this.organization.id;
  }

  get caller(): Caller | undefined {
    return this.cls.isActive() ? this.cls.get<Caller | undefined>(CONTEXT_KEYS.caller) : undefined;
  }

  get userId(): string | undefined {
    return this.caller?.userId;
  }

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }

  setOrganization(organization: ActiveOrganization): void {
    this.cls.set(CONTEXT_KEYS.organization, organization);
  }

  setCaller(caller: Caller): void {
    this.cls.set(CONTEXT_KEYS.caller, caller);
  }
}
