import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction-host';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  isOperator: boolean;
  suspendedAt: Date | null;
  createdAt: Date;
}

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  kind: 'provider' | 'monitoring_body';
  suspendedAt: Date | null;
  members: number;
  createdAt: Date;
}

/** `q` as a LIKE pattern matching it anywhere, its own wildcards taken literally. */
const anywhere = (q: string) => `%${q.trim().replace(/[\\%_]/g, '\\$&')}%`;

/** The operator's search of every account and organization, filtered, ordered and paged in SQL. */
@Injectable()
export class AdminDirectory {
  constructor(private readonly tx: TransactionHost) {}

  async users(q: string | undefined, limit: number, offset: number): Promise<Page<UserRow>> {
    const where = `($1 = '' OR u.email ILIKE $2 OR u.name ILIKE $2)`;
    const parameters = [q?.trim() ?? '', anywhere(q ?? '')];
    const items = (await this.tx.manager.query(
      `SELECT u.id, u.email, u.name, u.is_operator AS "isOperator", u.suspended_at AS "suspendedAt", u.created_at AS "createdAt"
         FROM users u WHERE ${where} ORDER BY lower(u.email), u.id LIMIT $3 OFFSET $4`,
      [...parameters, limit, offset],
    )) as UserRow[];
    return { items, total: await this.count(`SELECT count(*)::int AS total FROM users u WHERE ${where}`, parameters), limit, offset };
  }

  async organizations(q: string | undefined, limit: number, offset: number): Promise<Page<OrganizationRow>> {
    const where = `($1 = '' OR o.name ILIKE $2 OR o.slug ILIKE $2)`;
    const parameters = [q?.trim() ?? '', anywhere(q ?? '')];
    const items = (await this.tx.manager.query(
      `SELECT o.id, o.slug, o.name, o.kind, o.suspended_at AS "suspendedAt", o.created_at AS "createdAt",
              (SELECT count(*)::int FROM memberships m WHERE m.organization_id = o.id) AS members
         FROM organizations o WHERE ${where} ORDER BY lower(o.name), o.id LIMIT $3 OFFSET $4`,
      [...parameters, limit, offset],
    )) as OrganizationRow[];
    return { items, total: await this.count(`SELECT count(*)::int AS total FROM organizations o WHERE ${where}`, parameters), limit, offset };
  }

  private async count(sql: string, parameters: unknown[]): Promise<number> {
    const [{ total }] = (await this.tx.manager.query(sql, parameters)) as Array<{ total: number }>;
    return total;
  }
}
