import type { NextFunction, Request, Response } from 'express';
import { InvalidInputException } from './invalid-input.exception';

/**
 * No form or JSON body of this service nests deeper than a few levels. Every check that walks a body
 * (the NUL check, class-transformer, class-validator) recurses, so a body of many thousand nested arrays
 * would overflow the stack and end as a server error; it is refused up front instead.
 */
export const MAX_NESTING_DEPTH = 32;

/** Whether objects and arrays nest more than `limit` levels deep in `value`; walked without recursion. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (!item || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Checks the parsed body and query of every request, before anything else walks them. */
export function refuseDeepNesting(request: Request, _response: Response, next: NextFunction): void {
  const where = nestedDeeperThan(request.body, MAX_NESTING_DEPTH) ? 'body' : nestedDeeperThan(request.query, MAX_NESTING_DEPTH) ? 'query' : undefined;
  next(where ? new InvalidInputException({ [where]: [`${where} must not nest objects or lists more than ${MAX_NESTING_DEPTH} levels deep`] }) : undefined);
}
