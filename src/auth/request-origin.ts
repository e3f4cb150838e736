import type { Request } from 'express';

const SHOWN_LENGTH = 100;

/**
 * The other site a browser says a request comes from, or undefined when it shows none: the `Origin`
 * header when there is one, otherwise only `Sec-Fetch-Site: cross-site`. Programs that send neither
 * header (curl, the tests' agents) show no other site. Origins compare as browsers write them:
 * scheme, host and port, so a sibling subdomain is another origin too.
 */
export function otherSiteOf(request: Request, ownOrigin: string): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined) return sameOrigin(origin, ownOrigin) ? undefined : origin.slice(0, SHOWN_LENGTH);
  return request.headers['sec-fetch-site'] === 'cross-site' ? 'another site' : undefined;
}

function sameOrigin(origin: string, ownOrigin: string): boolean {
  try {
    return new URL(origin).origin === ownOrigin;
  } catch {
    // "null" (a sandboxed frame, a privacy-sensitive redirect) or something that is no URL at all.
    return false;
  }
}
