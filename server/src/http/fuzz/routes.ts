// The routes of the real app as it registers them (Fastify's onRoute), with what the fuzzer needs of each:
// method, path template, access rule, schemas, body limit and the content types its body may have.
import type { RouteOptions } from 'fastify';
import type { Schema } from './schema-arbitrary.ts';

export interface FuzzRoute {
  method: string;
  url: string;
  access: string | undefined;
  params: Schema | undefined;
  querystring: Schema | undefined;
  headers: Schema | undefined;
  /** A JSON body's schema; undefined when the route declares none or declares content types instead. */
  body: Schema | undefined;
  /** The content types a route declares with `body.content` (uploads, CSV, XLSX, JSON Lines). */
  contentTypes: string[];
  bodyLimit: number | undefined;
  /** The route validates nothing itself (a validatorCompiler of its own): a broken field need not be named by a 400. */
  ownValidator: boolean;
  /** Path parameter names in order, `*` for a wildcard. */
  pathParams: string[];
  /** No schema at all (Open311's routes): parameters and form fields are the protocol's. */
  schemaless: boolean;
}

const PARAM = /:([A-Za-z_][A-Za-z0-9_]*)|\*/g;

export function pathParamsOf(url: string): string[] {
  return [...url.matchAll(PARAM)].map((m) => m[1] ?? '*');
}

/** Keeps each route once per method; HEAD answers from the GET handler and is left out. */
export class RouteCatalog {
  readonly routes: FuzzRoute[] = [];

  readonly onRoute = (route: RouteOptions): void => {
    const schema = (route.schema ?? {}) as { params?: Schema; querystring?: Schema; headers?: Schema; body?: Schema & { content?: Record<string, unknown> } };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const content = schema.body?.content;
      this.routes.push({
        method, url: route.url, access: (route.config as { access?: string } | undefined)?.access,
        params: schema.params, querystring: schema.querystring, headers: schema.headers,
        // A text body (CSV) arrives through the text parsers; its generator is the file bodies'.
        body: content || schema.body?.type === 'string' ? undefined : schema.body,
        contentTypes: content ? Object.keys(content) : schema.body?.type === 'string' ? ['text/csv', 'text/plain'] : [],
        bodyLimit: route.bodyLimit, ownValidator: route.validatorCompiler !== undefined, pathParams: pathParamsOf(route.url),
        schemaless: !schema.params && !schema.querystring && !schema.headers && !schema.body,
      });
    }
  };
}

export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
