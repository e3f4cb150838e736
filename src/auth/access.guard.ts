import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { Request, Response } from 'express';
import passport from 'passport';
import { Caller } from '../common/request-context';
import { TenantContext } from '../common/tenant-context';
import { DEFAULT_BODY_TYPES, isAcceptedBody } from '../common/web/body-type';
import { isApiRequest } from '../common/web/is-api-request';
import { keepOutOfCaches } from '../common/web/private-answers.middleware';
import { AppConfig } from '../config/app-config.service';
import { OrganizationsService } from '../tenancy/organizations.service';
import { organizationSuspended } from '../tenancy/tenancy.exception';
import { ACCESS_RULE, AccessRule, STEP_UP, StepUpWhen } from '../access/access.decorator';
import { ApiToken } from './entities/api-token.entity';
import { AuthErrorCode, AuthException } from './auth.exception';
import { csrf, SAFE_METHODS } from '../access/csrf';
import { otherSiteOf } from './request-origin';
import { SecondFactorPolicy } from './second-factor-policy';
import { BEARER_STRATEGY } from './strategies/bearer.strategy';
import { SessionUser } from './session-user';
import { kindAllows, Permission, roleAllows, tokenAllows } from '../access/permissions';

/**
 * The single gate of every route: it refuses writes from other sites and API bodies of types the
 * route does not take, authenticates the caller (API token or session), checks the route's declared
 * rule, verifies the CSRF token of cookie-authenticated writes, and puts the caller and organization
 * into the request context. A route that declares no rule is refused.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly context: TenantContext,
    private readonly organizations: OrganizationsService,
    private readonly config: AppConfig,
    private readonly secondFactors: SecondFactorPolicy,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [execution.getHandler(), execution.getClass()]);
    const request = execution.switchToHttp().getRequest<Request>();
    if (!rule) {
      this.logger.error(`${request.method} ${request.route?.path ?? request.path} declares no access rule; refused`);
      throw new AuthException(AuthErrorCode.NoAccessRule, 'This route is not open to anyone.');
    }
    this.refuseOtherSites(request);
    this.requireAcceptedBody(request, execution);
    const response = execution.switchToHttp().getResponse<Response>();
    const caller = await this.authenticate(request, response);
    if (caller) {
      this.context.setCaller(caller);
      // Whatever it answers, a refusal included, is for this caller alone.
      keepOutOfCaches(response);
    }
    this.checkCsrf(request, caller);

    switch (rule.kind) {
      case 'public':
        return true;
      case 'signed-in':
        this.requireSession(caller);
        return true;
      case 'operator':
        this.requireSession(caller);
        if (!caller!.isOperator) throw new AuthException(AuthErrorCode.Forbidden, 'Only the platform operator can do this.');
        this.secondFactors.requireForOperator(request.user as SessionUser);
        return true;
      case 'organization':
        await this.authorizeInOrganization(request, caller, rule.permission, this.reflector.get<StepUpWhen | undefined>(STEP_UP, execution.getHandler()));
        if (rule.verifiedEmail) this.requireVerifiedEmail(request);
        return true;
    }
  }

  private async authenticate(request: Request, response: Response): Promise<Caller | undefined> {
    if (request.headers.authorization) {
      const token = await this.bearerToken(request, response);
      return { tokenId: token.id, tokenOrganizationId: token.organizationId, tokenScopes: token.scopes, isOperator: false };
    }
    const user = request.user as SessionUser | undefined;
    return user ? { userId: user.id, sessionId: request.sessionID, isOperator: user.isOperator } : undefined;
  }

  private bearerToken(request: Request, response: Response): Promise<ApiToken> {
    return new Promise((resolve, reject) => {
      passport.authenticate(BEARER_STRATEGY, { session: false }, (error: unknown, token: ApiToken | false) => {
        if (error) return reject(error);
        if (!token) return reject(new AuthException(AuthErrorCode.TokenInvalid, 'Send the API token as "Authorization: Bearer <token>".'));
        resolve(token);
      })(request, response, reject);
    });
  }

  /**
   * A browser sends a page's writes to any site, with that site's cookies or none, and its address:
   * another site could sign a visitor in to an account of its choosing, or file complaints from the
   * visitor's network. Only an API token, which no other site's page can add, lets a write through.
   */
  private refuseOtherSites(request: Request): void {
    if (SAFE_METHODS.has(request.method) || request.headers.authorization) return;
    const otherSite = otherSiteOf(request, this.config.publicOrigin);
    if (otherSite === undefined) return;
    throw new AuthException(
      AuthErrorCode.CrossSite,
      `This request came from ${otherSite}; changes are accepted only from this service's own pages at ${this.config.publicOrigin} (PUBLIC_URL) or with an API token.`,
    );
  }

  /** The API reads JSON, and the types a route declares with @ApiConsumes; never a form another site can post. */
  private requireAcceptedBody(request: Request, execution: ExecutionContext): void {
    if (SAFE_METHODS.has(request.method) || !isApiRequest(request)) return;
    const declared = this.reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_CONSUMES, [execution.getHandler(), execution.getClass()]);
    const accepted = declared?.length ? declared : DEFAULT_BODY_TYPES;
    if (isAcceptedBody(request, accepted)) return;
    const sent = request.headers['content-type'] ? `, not ${request.headers['content-type'].split(';')[0].trim().slice(0, 100)}` : '';
    throw new AuthException(AuthErrorCode.UnsupportedBodyType, `This route takes a body of type ${accepted.join(' or ')}${sent}.`);
  }

  /** Cookie-carried credentials can be ridden by another site; a token in the page proves the origin. */
  private checkCsrf(request: Request, caller: Caller | undefined): void {
    if (SAFE_METHODS.has(request.method) || caller?.tokenId) return;
    const cookieAuthenticated = caller?.userId !== undefined;
    if (!cookieAuthenticated && isApiRequest(request)) return;
    const valid = csrf.isRequestValid(request);
    // The token has done its work; the form's own fields are validated without it.
    if (request.body && typeof request.body === 'object') delete (request.body as Record<string, unknown>)._csrf;
    if (!valid) {
      throw new AuthException(AuthErrorCode.CsrfInvalid, 'The form has expired or did not come from this site; reload the page and try again. API calls send the token from GET /api/v1/auth/session in X-CSRF-Token.');
    }
  }

  private requireSession(caller: Caller | undefined): void {
    if (!caller) throw new AuthException(AuthErrorCode.NotSignedIn, 'Sign in first.');
    if (!caller.userId) throw new AuthException(AuthErrorCode.SessionRequired, 'API tokens act for an organization; this needs a signed-in person.');
  }

  /** After the organization's checks, so that another organization's route still answers 404 alone. */
  private requireVerifiedEmail(request: Request): void {
    // API tokens never reach such a route: every act it guards is a named person's (TOKEN_REQUIREMENT).
    const user = request.user as SessionUser | undefined;
    if (!user || user.emailVerified) return;
    throw new AuthException(
      AuthErrorCode.EmailUnverified,
      `Confirm your e-mail address first: open the link mailed to ${user.email}, or send a new one from your account page (/account).`,
    );
  }

  private async authorizeInOrganization(request: Request, caller: Caller | undefined, permission: Permission, stepUp: StepUpWhen | undefined): Promise<void> {
    if (!caller) throw new AuthException(AuthErrorCode.NotSignedIn, 'Sign in first.');
    const slug = request.params.org;
    if (typeof slug !== 'string') throw new Error(`Route ${request.route?.path} has an organization rule but no :org parameter`);
    // Another organization's routes answer exactly as a missing one does, so existence never leaks.
    const notFound = new AuthException(AuthErrorCode.NotFound, 'No such organization, or you are not a member of it.');
    if (caller.tokenId) {
      const organization = await this.organizations.findBySlug(slug);
      if (!organization || caller.tokenOrganizationId !== organization.id) throw notFound;
      if (organization.suspendedAt) throw organizationSuspended(organization.name);
      if (!kindAllows(organization.kind, permission)) {
        throw new AuthException(AuthErrorCode.Forbidden, `No one in a ${organization.kind.replace('_', ' ')} may use ${permission}, so neither may its API tokens.`);
      }
      if (!tokenAllows(caller.tokenScopes ?? [], permission, organization.kind)) {
        throw new AuthException(AuthErrorCode.Forbidden, `This API token's scopes (${(caller.tokenScopes ?? []).join(', ')}) do not allow ${permission}.`);
      }
      this.context.setOrganization({ id: organization.id, slug: organization.slug, name: organization.name, kind: organization.kind });
      return;
    }
    // The session restored the person's memberships for this very request: no need to ask again.
    const membership = (request.user as SessionUser).memberships.find((candidate) => candidate.organization.slug === slug);
    if (!membership) throw notFound;
    if (membership.organizationSuspended) throw organizationSuspended(membership.organization.name);
    if (!roleAllows(membership.role, permission)) {
      throw new AuthException(AuthErrorCode.Forbidden, `Your role (${membership.role}) does not allow ${permission}.`);
    }
    this.secondFactors.requireForOrganization(request.user as SessionUser, membership);
    this.context.setOrganization({ ...membership.organization, role: membership.role });
    await this.secondFactors.requireStepUp(request, membership, stepUp);
  }
}
