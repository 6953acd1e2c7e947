// Response headers every answer carries (issue 9.8). The web app is built by Vite with no inline script, and the
// installation's settings reach it in a meta tag (web-app.ts), so its policy can forbid inline and foreign
// scripts outright; MapLibre draws in blob: workers and sets inline styles, ECharts too.
import type { FastifyInstance } from 'fastify';

/** Headers for every response, the API's included. */
const EVERY_RESPONSE: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  // The inspector's phone app takes photos and reads its position; nothing else may.
  'permissions-policy': 'camera=(self), geolocation=(self), microphone=(), payment=(), usb=()',
};

/**
 * The web page's content security policy. `tileOrigins`: where the installation's map style and tiles come from
 * (CITYOPS_MAP_STYLE_URL); without a tile server the maps draw GeoJSON served by CityOps itself.
 */
export function contentSecurityPolicy(tileOrigins: readonly string[]): string {
  const remote = tileOrigins.join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${remote ? ` ${remote}` : ''}`,
    `connect-src 'self'${remote ? ` ${remote}` : ''}`,
    "worker-src 'self' blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The origins a map style URL names (the style's own server); an unparsable URL adds none. */
export function tileOriginsOf(mapStyleUrl: string | null | undefined): string[] {
  if (!mapStyleUrl) return [];
  try {
    return [new URL(mapStyleUrl).origin];
  } catch {
    return [];
  }
}

export function registerSecurityHeaders(app: FastifyInstance, options: { mapStyleUrl?: string | null } = {}): void {
  const policy = contentSecurityPolicy(tileOriginsOf(options.mapStyleUrl));
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(EVERY_RESPONSE)) if (!reply.hasHeader(name)) void reply.header(name, value);
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) void reply.header('content-security-policy', policy);
    // Answers of the API name people and cases: no shared cache may keep them (the photos set their own, private).
    else if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    if (request.protocol === 'https') void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
}
