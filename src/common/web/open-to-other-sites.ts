import type { Response } from 'express';

/**
 * A public, credential-free answer that other sites may use: a badge in their pages, the register's
 * data in their scripts. Helmet's default keeps every answer to this site (same-origin resource
 * policy); these answers hold nothing private, and cookies are never sent with them cross-site.
 */
export function openToOtherSites(response: Response): void {
  response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  response.setHeader('Access-Control-Allow-Origin', '*');
}
