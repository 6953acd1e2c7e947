// What the installation tells the app when it serves the page (server/src/http/web-app.ts puts it in a
// meta tag): settings an operator changes without rebuilding the app.
export interface RuntimeConfig {
  /** A MapLibre style (tile server) for every map; null: our GeoJSON on a plain background. */
  mapStyleUrl: string | null;
}

let cached: RuntimeConfig | null = null;

export function runtimeConfig(): RuntimeConfig {
  if (cached) return cached;
  const content = document.querySelector('meta[name="cityops-config"]')?.getAttribute('content');
  let parsed: Partial<RuntimeConfig> = {};
  try { parsed = content ? (JSON.parse(content) as Partial<RuntimeConfig>) : {}; } catch { /* a page served without the server (vite dev): defaults */ }
  cached = { mapStyleUrl: typeof parsed.mapStyleUrl === 'string' && parsed.mapStyleUrl !== '' ? parsed.mapStyleUrl : null };
  return cached;
}
