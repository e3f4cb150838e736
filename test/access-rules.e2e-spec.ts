import { ExecutionContext } from '@nestjs/common';
import request from 'supertest';
import { AccessGuard } from '../src/auth/access.guard';
import { Permission, roleAllows } from '../src/access/permissions';
import { Role } from '../src/access/roles';
import { describeRule, Route, routeTable } from './support/route-table';
import { Actor, createTestApp, Member, TestApp } from './support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A concrete URL for a route: the organization's slug for `:org`, a well-formed unknown id elsewhere. */
function urlFor(route: Route, slug: string): string {
  return route.path.replace(':org', slug).replace(/:[A-Za-z]+/g, UNKNOWN_ID);
}

function call(agent: ReturnType<typeof request.agent> | ReturnType<typeof request>, route: Route, url: string) {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  return (agent as unknown as Record<typeof method, (url: string) => request.Test>)[method](url);
}

describe('access rules', () => {
  let t: TestApp;
  let routes: Route[];
  let victim: Actor;
  let intruder: Actor;
  let intruderToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    routes = routeTable(t.app);
    victim = await t.signUp({ organization: 'Victim Canary Org' });
    intruder = await t.signUp({ organization: 'Intruder Org', kind: 'monitoring_body' });
    const created = await intruder.agent
      .post(`/api/v1/orgs/${intruder.organization.slug}/tokens`)
      .set('X-CSRF-Token', intruder.csrf)
      .send({ name: 'probe', scopes: ['read', 'write'] })
      .expect(201);
    intruderToken = created.body.token;
  });
  afterAll(() => t.close());

  it('finds the application’s routes', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/v1/orgs/:org/members' }));
  });

  it('every route declares who may call it', () => {
    const undeclared = routes.filter((route) => !route.rule).map((route) => `${route.method} ${route.path}`);
    expect(undeclared).toEqual([]);
  });

  it('the declared rules are the reviewed ones', () => {
    // A change to who may call what shows up here, in review.
    expect(routes.map((route) => `${route.method} ${route.path} → ${describeRule(route.rule, route.stepUp)}`)).toMatchSnapshot();
  });

  it('a route without a rule is refused by the guard', async () => {
    const guard = t.app.get(AccessGuard);
    const context = {
      getHandler: () => function naked() {},
      getClass: () => class NakedController {},
      switchToHttp: () => ({ getRequest: () => ({ method: 'GET', path: '/naked', headers: {} }), getResponse: () => ({}) }),
    } as unknown as ExecutionContext;
    await expect(guard.canActivate(context)).rejects.toThrow('This route is not open to anyone.');
  });

  describe('another organization', () => {
    const organizationRoutes = () => routes.filter((route) => route.rule?.kind === 'organization');

    it('gets 404 on every organization route, signed in, and never sees the organization', async () => {
      for (const route of organizationRoutes()) {
        const response = await call(intruder.agent, route, urlFor(route, victim.organization.slug)).set('X-CSRF-Token', intruder.csrf);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
        expect(response.text).not.toContain('Victim Canary');
      }
    });

    it('gets 404 on every organization route with its API token', async () => {
      for (const route of organizationRoutes()) {
        const response = await call(request(t.server), route, urlFor(route, victim.organization.slug)).set('Authorization', `Bearer ${intruderToken}`);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
        expect(response.text).not.toContain('Victim Canary');
      }
    });

    it('gets the same 404 for an organization that does not exist', async () => {
      const missing = await intruder.agent.get('/api/v1/orgs/no-such-org').expect(404);
      const foreign = await intruder.agent.get(`/api/v1/orgs/${victim.organization.slug}`).expect(404);
      expect(foreign.body).toEqual(missing.body);
    });
  });

  describe('anonymous callers', () => {
    it('are refused on every route that is not public', async () => {
      for (const route of routes.filter((candidate) => candidate.rule?.kind !== 'public')) {
        const response = await call(request(t.server), route, urlFor(route, victim.organization.slug));
        const refused = route.path.startsWith('/api/') ? [401] : route.method === 'GET' ? [303] : [403];
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: refused[0] });
        expect(response.text).not.toContain('Victim Canary');
      }
    });
  });

  describe('roles', () => {
    const members: Partial<Record<Role, Member>> = {};

    beforeAll(async () => {
      for (const role of ['editor', 'viewer'] as const) members[role] = await t.addMember(victim, role);
    });

    it.each(['editor', 'viewer'] as const)('a %s gets 403 on every route its role does not allow', async (role) => {
      const member = members[role]!;
      const denied = routes.filter((route) => route.rule?.kind === 'organization' && !roleAllows(role, route.rule.permission as Permission));
      expect(denied.length).toBeGreaterThan(5);
      for (const route of denied) {
        const response = await call(member.agent, route, urlFor(route, victim.organization.slug)).set('X-CSRF-Token', member.csrf);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 403 });
      }
    });
  });
});
