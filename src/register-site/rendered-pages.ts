import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { TransactionHost } from '../database/transaction-host';
import { RevisionMemo } from '../register/revision-memo';

const SESSION_COOKIE = /(?:^|;\s*)adhere\.sid=/;

/**
 * The register's pages as anonymous visitors get them, rendered once per revision of the register
 * and URL. A visitor with a session (signed in, or holding a one-time message) always gets a page
 * rendered for them. A page that is still current costs one read of the revision; only rendering
 * one opens a transaction.
 */
@Injectable()
export class RenderedPages {
  private readonly pages = new RevisionMemo<string>(500);

  constructor(private readonly tx: TransactionHost) {}

  async send(request: Request, response: Response, view: string, build: () => Promise<object>): Promise<void> {
    const revision = response.locals.registerRevision as string | undefined;
    const key = response.getHeader('ETag') as string | undefined;
    const shared = revision !== undefined && key !== undefined && !request.user && !SESSION_COOKIE.test(request.headers.cookie ?? '');
    let html = shared ? this.pages.get(revision, key) : undefined;
    if (html === undefined) {
      const model = await this.tx.runScoped({ userId: (request.user as { id?: string } | undefined)?.id }, build);
      html = await new Promise<string>((resolve, reject) => response.render(view, model, (error: Error | null, rendered: string) => (error ? reject(error) : resolve(rendered))));
      if (shared) this.pages.set(revision, key, html);
    }
    response.type('html').send(html);
  }
}
