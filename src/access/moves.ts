import type { OrganizationKind } from '../common/request-context';
import type { TenantContext } from '../common/tenant-context';
import type { Role } from './roles';
import { Permission, roleAllows, tokenAllows } from './permissions';

/** Who makes a move: a kind of organization, the platform operator, or the system (a job, start-up), which has no caller. */
export type Mover = OrganizationKind | 'operator' | 'system';

/**
 * One move in a record's table of moves: the states it leaves, the state it reaches, who may make it
 * and under which permission, and the move in words for messages ("submit", "retire").
 */
export interface Move<S extends string> {
  from: readonly S[];
  to: S;
  by: Mover | readonly Mover[];
  permission?: Permission;
  verb: string;
}

/** The moves of a table open from a state, to one kind of mover if given. */
export function movesFrom<S extends string, N extends string>(table: Record<N, Move<S>>, state: S, by?: Mover): N[] {
  return (Object.keys(table) as N[]).filter((name) => {
    const move: Move<S> = table[name];
    return move.from.includes(state) && (by === undefined || movers(move).includes(by));
  });
}

/**
 * Whether the current caller may make the move. For an organization's members and its API tokens the
 * permission table decides, as it does at the door; the operator and the system only where the move names them.
 */
export function mayMake(context: TenantContext, move: Move<string>): boolean {
  const caller = context.caller;
  if (caller === undefined) return movers(move).includes('system');
  if (caller.isOperator && movers(move).includes('operator')) return true;
  if (!move.permission || !context.hasOrganization) return false;
  const organization = context.organization;
  if (!movers(move).includes(organization.kind)) return false;
  if (caller.tokenId) return tokenAllows(caller.tokenScopes ?? [], move.permission, organization.kind);
  return roleAllows(organization.role as Role | undefined, move.permission);
}

function movers(move: Move<string>): readonly Mover[] {
  return typeof move.by === 'string' ? [move.by] : move.by;
}
