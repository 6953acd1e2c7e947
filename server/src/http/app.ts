import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import accessPlugin from '../access/access.plugin.ts';
import { handleError, handleFrameworkError } from './errors.ts';
import { rejectUnacceptableInput } from './request-guards.ts';
import type { AppContext } from './context.ts';
import { registerFeatureRoutes } from './routes.ts';
import { registerWebApp } from './web-app.ts';
import { registerSecurityHeaders } from './security-headers.ts';

export interface BuildAppOptions {
  logger?: boolean | { level: string };
  /** Serve the built web app from this folder when it exists. */
  webDistDir?: string;
  /** The tile server's MapLibre style for the app's maps (CITYOPS_MAP_STYLE_URL). */
  mapStyleUrl?: string | null;
  /** Told of every route as it is registered, with its schema (the fuzz tests walk the real app's routes). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(context: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 50 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', useDefaults: true, removeAdditional: false } },
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  app.setErrorHandler(handleError);
  app.addHook('preHandler', rejectUnacceptableInput);
  registerSecurityHeaders(app, { mapStyleUrl: options.mapStyleUrl ?? null });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CityOps API',
        version: '0.1.0',
        description: 'Urban management (数字城管) cases, territory, catalog, calendar and evaluation. Authenticate with `POST /api/auth/login` and send `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'http', scheme: 'bearer', description: 'session token from POST /api/auth/login' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'API key of an Open311 client' },
        },
      },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(accessPlugin, { db: context.db });

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    const database = await context.checkDatabase();
    void reply.status(database.ok ? 200 : 503);
    return { status: database.ok ? 'ok' : 'degraded', database: context.dialect, databaseLatencyMs: database.latencyMs };
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  await registerFeatureRoutes(app, context);
  if (options.webDistDir) await registerWebApp(app, options.webDistDir, { mapStyleUrl: options.mapStyleUrl ?? null });
  await app.ready();
  return app;
}
