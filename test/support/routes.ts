import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ROUTE_POLICY, RoutePolicy } from '../../src/auth/route-policy.decorator';

export interface DeclaredRoute {
  method: string;
  path: string;
  policy: RoutePolicy | null;
}

function join(...parts: string[]): string {
  return `/${parts
    .map((part) => part.replace(/^\/|\/$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

/** Every route the running app serves, with the policy it declares (read from Nest's metadata). */
export function declaredRoutes(app: NestFastifyApplication): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const prefix = Reflect.getMetadata(PATH_METADATA, type) as string;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        routes.push({
          method: RequestMethod[method],
          path: join(prefix, Reflect.getMetadata(PATH_METADATA, handler) as string),
          policy: (Reflect.getMetadata(ROUTE_POLICY, handler) as RoutePolicy | undefined) ?? null,
        });
      }
    }
  }
  return routes;
}
