import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE, AccessRule, STEP_UP } from '../../src/access/access.decorator';

export interface Route {
  method: string;
  path: string;
  rule?: AccessRule;
  /** A consequential act: a fresh second factor where the organization requires step-up. */
  stepUp?: boolean;
  /** The handler takes a `@Query()` parameter: the route reads filters or options from its query string. */
  readsQuery: boolean;
}

/** Every route the application's controllers declare, with the access rule each one states. */
export function routeTable(app: INestApplication): Route[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const prefix = normalise(Reflect.getMetadata(PATH_METADATA, wrapper.metatype));
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = `/${[prefix, normalise(Reflect.getMetadata(PATH_METADATA, handler))].filter(Boolean).join('/')}`;
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler as never, wrapper.metatype as never]);
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, wrapper.metatype, name) ?? {}) as Record<string, unknown>;
      const readsQuery = Object.keys(args).some((key) => Number(key.split(':')[0]) === RouteParamtypes.QUERY);
      const stepUp = Reflect.getMetadata(STEP_UP, handler) !== undefined;
      routes.push({ method: RequestMethod[method], path, rule, readsQuery, stepUp });
    }
  }
  return routes.sort((x, y) => `${x.path} ${x.method}`.localeCompare(`${y.path} ${y.method}`));
}

function normalise(path: string | string[] | undefined): string {
  const value = Array.isArray(path) ? path[0] : path;
  return (value ?? '').replace(/^\/+|\/+$/g, '');
}

export function describeRule(rule: AccessRule | undefined, stepUp = false): string {
  if (!rule) return 'NONE';
  const base = rule.kind === 'organization' ? `organization:${rule.permission}${rule.verifiedEmail ? ' +verified-email' : ''}` : rule.kind;
  return `${base}${stepUp ? ' + step-up' : ''}`;
}
