import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** What the installation tells the browser app at load time (no rebuild to change it). */
export interface WebAppConfig {
  mapStyleUrl: string | null;
}

/**
 * index.html with the installation's settings in a meta tag (read by web/src/runtime-config.ts): a tag
 * rather than a script, so a strict content security policy still holds; HTML-escaped.
 */
export function pageWithConfig(html: string, config: WebAppConfig): string {
  const json = JSON.stringify(config).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return html.replace('</head>', `<meta name="cityops-config" content="${json}"></head>`);
}

/** Serves the built single-page app; unknown non-API paths fall back to index.html for client routing. */
export async function registerWebApp(app: FastifyInstance, distDir: string, config: WebAppConfig = { mapStyleUrl: null }): Promise<void> {
  if (!existsSync(join(distDir, 'index.html'))) return;
  const page = pageWithConfig(readFileSync(join(distDir, 'index.html'), 'utf8'), config);
  // index.html is served below, with the settings; every other built file as it is.
  await app.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: false, globIgnore: ['index.html'] });
  const sendPage = (reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply));
  app.get('/index.html', { schema: { hide: true } }, (_request, reply) => sendPage(reply));
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/open311/')) {
      return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
    }
    return sendPage(reply);
  });
}
