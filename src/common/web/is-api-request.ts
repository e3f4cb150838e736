import { Request } from 'express';

/** API and machine endpoints answer in JSON; everything else is a page for people. */
export function isApiRequest(request: Request): boolean {
  const path = request.path;
  return path.startsWith('/api/') || path.startsWith('/health') || path.startsWith('/.well-known/');
}
