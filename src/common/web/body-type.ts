import type { Request } from 'express';

/** What an API route takes when it declares nothing else with `@ApiConsumes`. */
export const DEFAULT_BODY_TYPES = ['application/json'];

/** Whether the request carries a body at all: a write with no body has no type to check. */
export function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

/** Whether the request's body is one of `accepted` (parameters such as `; charset=utf-8` aside). */
export function isAcceptedBody(request: Request, accepted: readonly string[]): boolean {
  return !hasBody(request) || request.is([...accepted]) !== false;
}
