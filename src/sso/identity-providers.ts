import { Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { AppConfig } from '../config/app-config.service';
import { SsoErrorCode, SsoException } from './sso.exception';

/** The client of one organization at its identity provider. */
export interface ClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Discovered metadata is reused for a while, so a sign-in does not fetch it twice. */
const CACHE_MS = 5 * 60_000;

/**
 * Discovery of OpenID providers through the certified `openid-client`. An issuer must be https; plain
 * http is accepted only for a loopback address outside production, where a test or a developer runs
 * a provider on their own machine.
 */
@Injectable()
export class IdentityProviders {
  private readonly cache = new Map<string, { at: number; configuration: oidc.Configuration }>();

  constructor(private readonly config: AppConfig) {}

  /** The reason an issuer address is refused, or undefined when it may be used. */
  issuerProblem(issuer: string): string | undefined {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      return 'issuer must be an https address';
    }
    if (url.search || url.hash || url.username || url.password) return 'issuer must be an https address without query, fragment or credentials';
    if (url.protocol === 'https:') return undefined;
    if (url.protocol === 'http:' && this.insecureAllowed(url)) return undefined;
    return this.config.isProduction ? 'issuer must be an https address' : 'issuer must be an https address (http only for a loopback address such as 127.0.0.1, outside production)';
  }

  /** The provider's configuration for this client; a provider that cannot be discovered is a 400 naming `issuer`. */
  async configuration(settings: ClientSettings): Promise<oidc.Configuration> {
    const problem = this.issuerProblem(settings.issuer);
    if (problem) throw new SsoException(SsoErrorCode.IssuerRefused, problem, { issuer: [problem] });
    const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.configuration;
    const url = new URL(settings.issuer);
    try {
      const configuration = await oidc.discovery(url, settings.clientId, settings.clientSecret, undefined, {
        execute: url.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      });
      this.cache.set(key, { at: Date.now(), configuration });
      return configuration;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const message = `issuer: OpenID Connect discovery at ${settings.issuer} failed (${reason})`;
      throw new SsoException(SsoErrorCode.IssuerUnreachable, message, { issuer: [`discovery failed: ${reason}`] });
    }
  }

  private insecureAllowed(url: URL): boolean {
    return !this.config.isProduction && LOOPBACK.has(url.hostname);
  }
}
