import { RequestMethod } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HTTP_CODE_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { sendOutcome } from './exception.filter';
import { JSON_CONTENT_TYPE } from './media-type';

/**
 * A direct route's handler: the request, already judged by the Fastify hooks, and the
 * reply; it answers with a JSON text (status 200 unless it sets another on the reply).
 */
export type DirectHandler = (request: FastifyRequest, reply: FastifyReply) => string;

const DIRECT_METHODS = Symbol('portcullis:direct-methods');

/**
 * Marks a controller method that Fastify calls itself, without Nest's handler pipeline
 * (parameter decorators, pipes, interceptors, the exception zone, the response
 * controller): a tenth of the CPU of a cache-hot request on the hottest routes. The
 * route is still declared by its `@Get()` and judged by its policy decorator, in the
 * onRequest hooks, like every other; what the handler throws is answered as the
 * exception filter answers it. The compiler holds the method to a `DirectHandler`, and the
 * start stops if the method or its class carries what Nest would apply and a direct route
 * does not (parameter decorators, guards, interceptors, pipes, filters, `@HttpCode()`,
 * `@Header()`, `@Redirect()`). The application's one global enhancer is its exception
 * filter, whose answers a direct route gives too.
 */
export function Direct() {
  return <T extends DirectHandler>(
    target: object,
    key: string | symbol,
    _: TypedPropertyDescriptor<T>,
  ): void => {
    const marked = (Reflect.getOwnMetadata(DIRECT_METHODS, target.constructor) ?? []) as (
      string | symbol
    )[];
    Reflect.defineMetadata(DIRECT_METHODS, [...marked, key], target.constructor);
  };
}

interface DirectRoute {
  /** `GET /api/system/version`: where it is declared, for the error when it is not found. */
  readonly name: string;
  readonly handler: RouteHandlerMethod;
  /** The handler Nest registered for the GET (Fastify's own HEAD route copies it); null before. */
  replaced: unknown;
}

function joinPath(...parts: unknown[]): string {
  const segments = parts
    .map((part) => (typeof part === 'string' ? part.replace(/^\/+|\/+$/g, '') : ''))
    .filter((part) => part !== '');
  return `/${segments.join('/')}`;
}

/** What Nest would apply to a route, on the method or its class, and a direct route would not. */
const ENHANCERS = [
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  EXCEPTION_FILTERS_METADATA,
];
const RESPONSE_DECORATORS = [HTTP_CODE_METADATA, HEADERS_METADATA, REDIRECT_METADATA];

const declared = (value: unknown): boolean =>
  value !== undefined && !(Array.isArray(value) && value.length === 0);

/** The first Nest decoration a direct method would silently go without; null when none. */
function skippedDecoration(metatype: object, key: string | symbol, method: object): string | null {
  if (declared(Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, key))) return ROUTE_ARGS_METADATA;
  for (const name of ENHANCERS)
    if (
      declared(Reflect.getMetadata(name, method)) ||
      declared(Reflect.getMetadata(name, metatype))
    )
      return name;
  return RESPONSE_DECORATORS.find((name) => declared(Reflect.getMetadata(name, method))) ?? null;
}

function handlerOf(instance: object, method: DirectHandler): RouteHandlerMethod {
  return (request, reply) => {
    let answer: string;
    try {
      answer = method.call(instance, request, reply);
    } catch (error) {
      sendOutcome(error, request, reply);
      return;
    }
    if (!reply.sent) void reply.header('content-type', JSON_CONTENT_TYPE).send(answer);
  };
}

/** Every method marked `@Direct()` in the application's controllers, by method and URL. */
function directRoutes(modules: ModulesContainer): Map<string, DirectRoute> {
  const routes = new Map<string, DirectRoute>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const { instance, metatype } = wrapper;
      if (typeof metatype !== 'function') continue;
      const marked = Reflect.getOwnMetadata(DIRECT_METHODS, metatype) as
        (string | symbol)[] | undefined;
      if (marked === undefined) continue;
      // A request-scoped controller has an instance per request: Fastify would call the one
      // made at start-up.
      if (!wrapper.isDependencyTreeStatic() || instance === null || instance === undefined)
        throw new Error(`@Direct() on ${metatype.name}, whose instances are made per request`);
      for (const key of marked) {
        const method = (instance as Record<string | symbol, unknown>)[key] as DirectHandler;
        const verb = Reflect.getMetadata(METHOD_METADATA, method) as RequestMethod | undefined;
        const path = Reflect.getMetadata(PATH_METADATA, method) as unknown;
        const where = `@Direct() on ${metatype.name}.${String(key)}`;
        if (verb === undefined || typeof path !== 'string')
          throw new Error(`${where}, which is not a route`);
        const skipped = skippedDecoration(metatype, key, method);
        if (skipped !== null)
          throw new Error(`${where}, which declares ${skipped}: a direct route applies none`);
        const url = joinPath(Reflect.getMetadata(PATH_METADATA, metatype), path);
        const name = `${RequestMethod[verb]} ${url}`;
        routes.set(name, { name, handler: handlerOf(instance, method), replaced: null });
      }
    }
  }
  return routes;
}

/**
 * Puts each direct route's handler in place of Nest's as Nest registers the route (a GET's
 * HEAD too). Returns the check to run once the routes are registered: a direct route Nest
 * did not register where expected is a start-up error, since Nest would call its method
 * with arguments it does not take.
 */
export function installDirectRoutes(
  fastify: FastifyInstance,
  modules: ModulesContainer,
): () => void {
  const routes = directRoutes(modules);
  fastify.addHook('onRoute', (route) => {
    if (typeof route.method !== 'string') return;
    if (route.method === 'HEAD') {
      // Fastify's HEAD of a GET carries the GET's handler as Nest gave it; a HEAD route of
      // Nest's own carries another, and stays.
      const direct = routes.get(`GET ${route.url}`);
      if (direct !== undefined && route.handler === direct.replaced) route.handler = direct.handler;
      return;
    }
    const direct = routes.get(`${route.method} ${route.url}`);
    if (direct === undefined) return;
    // Another route on the same method and URL (a host or version constraint) would take
    // this handler with its own policy.
    if (direct.replaced !== null || Object.keys(route.constraints ?? {}).length > 0)
      throw new Error(`direct route ${direct.name} is declared twice, or with constraints`);
    direct.replaced = route.handler;
    route.handler = direct.handler;
  });
  return () => {
    const missing = [...routes.values()].filter((route) => route.replaced === null);
    if (missing.length > 0)
      throw new Error(`direct routes not registered: ${missing.map((r) => r.name).join(', ')}`);
  };
}
