import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormModel } from '../web/form-view.decorator';
import type { SessionUser } from '../auth/session-user';
import type { Page } from './admin-directory';
import { AdminProfiles } from './admin-profiles';

/**
 * A refused post shows its form again, a refusal of access (401) included; accounts and organizations
 * are outside row-level security, so only an operator's request may load them for the form.
 */
const isOperator = (request: Request) => (request.user as SessionUser | undefined)?.isOperator === true;
const NOT_SHOWN = { title: 'Administration' };

/** Links to the previous and next pages of a search, keeping its words. */
export function pagingLinks(base: string, q: string | undefined, page: Page<unknown>) {
  const link = (offset: number) => `${base}?${new URLSearchParams({ ...(q ? { q } : {}), offset: String(offset), limit: String(page.limit) }).toString()}`;
  return {
    previous: page.offset > 0 ? link(Math.max(0, page.offset - page.limit)) : null,
    next: page.offset + page.items.length < page.total ? link(page.offset + page.limit) : null,
    from: page.items.length > 0 ? page.offset + 1 : 0,
    to: page.offset + page.items.length,
  };
}

/** A person's page for the operator: who they are, where they belong, and what can be done for them. */
@Injectable()
export class AdminUserPage implements FormModel {
  constructor(private readonly profiles: AdminProfiles) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    if (!isOperator(request)) return NOT_SHOWN;
    const profile = await this.profiles.user(request.params.id as string);
    return { title: `${profile.name} (operator)`, profile, self: profile.id === (request.user as { id?: string } | undefined)?.id };
  }
}

/** An organization's page for the operator. */
@Injectable()
export class AdminOrganizationPage implements FormModel {
  constructor(private readonly profiles: AdminProfiles) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    if (!isOperator(request)) return NOT_SHOWN;
    const profile = await this.profiles.organization(request.params.id as string);
    return { title: `${profile.name} (operator)`, profile };
  }
}
