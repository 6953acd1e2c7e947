// The case map with 100,000 cases in view (issue 7): how long the built web app takes from navigation to
// the map having drawn the points, and how fluid it stays while the user drags and wheel-zooms, in cluster
// and in heat mode, in headless Chromium (no GPU here: WebGL through SwiftShader, software GL).
//
// The browser side only: the API is STUBBED. A tiny node:http server serves web/dist and answers the few
// requests the map page makes (who am I, the roles, the territory, the points) from seeded synthetic data:
// the demo city's districts (generateCityLayout, seed 1) and N points over its unit grids, most on the grid
// edges (the streets), weighted to the urban core and to a few busy communities. The anchor is the same
// page, the same pans and zooms, with N = 0. Run `npm run build:web` first; `npm run bench -- web_map`.
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join, extname } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createRandom, cumulative, pickWeighted } from '@cityops/domain/random';
import { ROLES } from '@cityops/domain/access/roles';
import { PERMISSIONS } from '@cityops/domain/access/permissions';
import { CASE_STATES } from '@cityops/domain/workflow/case-states';
import { generateCityLayout } from '../server/src/demo/city-layout.ts';
import type { BenchEntry } from './entry.ts';

// BENCH_MAP_DIST: a copy of web/dist (taken under the build lock) to measure while others rebuild.
const root = process.env.BENCH_MAP_DIST ? `${process.env.BENCH_MAP_DIST.replace(/\/$/, '')}/` : new URL('../web/dist/', import.meta.url).pathname;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// No GPU here: --disable-gpu composites the page in software and gives WebGL2 through ANGLE over SwiftShader
// (--enable-unsafe-swiftshader keeps that fallback allowed as Chromium retires it). --use-angle=swiftshader
// alone also works but composites through SwiftShader too: slower frames with no map at all (median 50 ms
// instead of 33 ms while panning an empty 1440×900 map), which would hide the map's own cost.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
const POINTS = Number(process.env.BENCH_MAP_POINTS ?? 100_000);
const RUNS = Number(process.env.BENCH_MAP_RUNS ?? 3);
const ALL_MODES = ['cluster', 'heat'] as const;
type Mode = (typeof ALL_MODES)[number];
// BENCH_MAP_MODES=heat measures one mode (while profiling); the entries need both.
const MODES = ALL_MODES.filter((m) => (process.env.BENCH_MAP_MODES ?? 'cluster,heat').split(',').includes(m));
const TOKEN_KEY = 'cityops.token'; // web/src/api/client.ts tokenStore (sessionStorage)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0; };
const round1 = (x: number) => Math.round(x * 10) / 10;

/** The demo city's city and district outlines, as GET /api/public/territory answers them. */
function territoryOf(layout: ReturnType<typeof generateCityLayout>) {
  return {
    type: 'FeatureCollection',
    features: layout.nodes.filter((n) => n.level === 'city' || n.level === 'district')
      .map((n) => ({ type: 'Feature', properties: { code: n.code, name: n.name, level: n.level }, geometry: n.geometry })),
  };
}

/**
 * N points [lon, lat, light 0–3, id] as GET /api/cases/points answers them (newest first), seeded: a unit grid
 * drawn by weight (一类 area 8, 二类 3, 三类 1, times its community's busyness, skewed so a few communities
 * are hot spots), then three in four points on one of the grid's edges (the streets round the block) a few
 * metres off, the others anywhere in the grid's box. Lights: none 10 %, green 70 %, yellow 12 %, red 8 %.
 */
export function generatePoints(layout: ReturnType<typeof generateCityLayout>, n: number, seed = 7): [number, number, number, number][] {
  const random = createRandom(seed);
  const busy = new Map<string, number>();
  for (const c of layout.nodes) if (c.level === 'community') busy.set(c.code, 0.2 + 6 * random() ** 3);
  const grids = layout.nodes.filter((g) => g.level === 'grid');
  const classWeight = { 1: 8, 2: 3, 3: 1 } as const;
  const gridCum = cumulative(grids.map((g) => classWeight[g.areaClass] * (busy.get(g.parentCode ?? '') ?? 1)));
  const lightCum = cumulative([10, 70, 12, 8]);
  const lights = [0, 1, 2, 3];
  const metre = 1 / 111_000;
  const gauss = () => random() + random() + random() - 1.5; // about normal, sd 0.5
  const r7 = (x: number) => Math.round(x * 1e7) / 1e7;
  const points: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const ring = pickWeighted(random, grids, gridCum).geometry.coordinates[0]!;
    let lon: number;
    let lat: number;
    if (random() < 0.75) {
      const k = Math.floor(random() * (ring.length - 1));
      const [a, b] = [ring[k]!, ring[k + 1]!];
      const t = random();
      lon = a[0] + (b[0] - a[0]) * t + gauss() * 16 * metre;
      lat = a[1] + (b[1] - a[1]) * t + gauss() * 16 * metre;
    } else {
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      lon = Math.min(...xs) + (Math.max(...xs) - Math.min(...xs)) * random();
      lat = Math.min(...ys) + (Math.max(...ys) - Math.min(...ys)) * random();
    }
    points.push([r7(lon), r7(lat), pickWeighted(random, lights, lightCum), n - i]);
  }
  return points;
}

/** web/dist and the stubbed API; the bearer token `bench-<n>` chooses how many points the map gets. */
async function serve(sizes: number[]) {
  const layout = generateCityLayout({ seed: 1 });
  const territory = JSON.stringify(territoryOf(layout));
  const bodies = new Map(sizes.map((n) => [n, JSON.stringify({ points: generatePoints(layout, n), truncated: false })]));
  const role = 'leader';
  const me = JSON.stringify({ kind: 'user', id: 1, username: 'bench', displayName: '基准测试', grants: [{ role, territoryPath: null, departmentId: null }], permissions: Object.entries(PERMISSIONS).filter(([, roles]) => (roles as readonly string[]).includes(role)).map(([p]) => p) });
  const roles = JSON.stringify({ roles: ROLES, permissions: PERMISSIONS });
  // The map asks for the open states, the workflow table's states that are not terminal.
  const workflow = JSON.stringify({ states: Object.entries(CASE_STATES).map(([name, s]) => ({ name, ...s })), stages: [], sources: [], applications: [], satisfactionLevels: [], transitions: [] });
  const unknown = new Set<string>();
  const json = (res: import('node:http').ServerResponse, status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  const sizeOf = (req: IncomingMessage) => Number(/^Bearer bench-(\d+)$/.exec(req.headers.authorization ?? '')?.[1] ?? NaN);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/')) {
      if (path === '/api/public/territory') return json(res, 200, territory);
      const n = sizeOf(req);
      if (!bodies.has(n)) return json(res, 401, '{"error":{"code":"unauthenticated","message":"sign in"}}');
      if (path === '/api/auth/me') return json(res, 200, me);
      if (path === '/api/roles') return json(res, 200, roles);
      if (path === '/api/workflow') return json(res, 200, workflow);
      if (path === '/api/cases/points') return json(res, 200, bodies.get(n)!);
      unknown.add(path);
      return json(res, 404, '{"error":{"code":"not_found","message":"not stubbed"}}');
    }
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, unknown, pointsBytes: bodies.get(Math.max(...sizes))!.length };
}

// In the page before its scripts: the token, and a note of when the map container says it has drawn.
const INIT = `
  try { sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, window.__benchToken); } catch {}
  window.__rendered = [];
  window.__longTasks = [];
  try { new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ at: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true }); } catch {}
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (el.dataset && el.dataset.renderedPoints !== undefined) window.__rendered.push({ at: performance.now(), points: Number(el.dataset.renderedPoints), mode: el.dataset.renderedMode });
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-rendered-points'] });
`;

interface Load { page: Page; close: () => Promise<void>; readyMs: number; dataMs: number; longestTaskMs: number }

/** A fresh context (cold cache) navigated to the map; resolves once the points are drawn in that mode. */
async function openMap(browser: Browser, base: string, n: number, mode: Mode, errors: string[]): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript(`window.__benchToken = 'bench-${n}';${INIT}`);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}/#/map${mode === 'heat' ? '?mode=heat' : ''}`);
  await waitRendered(page, n, mode, `${mode} with ${n} points after navigation`);
  const readyMs = await page.evaluate<number>('window.__rendered.at(-1).at');
  const dataMs = await page.evaluate<number>(`performance.getEntriesByType('resource').find((e) => e.name.includes('/api/cases/points'))?.responseEnd ?? NaN`);
  // The longest main-thread task before the map was drawn: how long the page could not answer the user.
  const longestTaskMs = await page.evaluate<number>(`Math.max(0, ...window.__longTasks.filter((t) => t.at < ${readyMs}).map((t) => t.ms))`);
  return { page, close: () => context.close(), readyMs, dataMs, longestTaskMs };
}

async function waitRendered(page: Page, n: number, mode: Mode, what: string) {
  try {
    await page.locator(`.case-map[data-rendered-points="${n}"][data-rendered-mode="${mode}"]`).waitFor({ state: 'attached', timeout: 180_000 });
  } catch (error) {
    throw new Error(`the map did not draw ${what} within 3 min: ${(error as Error).message.split('\n')[0]}`);
  }
}

interface Frames { median: number; p95: number; max: number; count: number; seconds: number }
const framesOf = (intervals: number[], seconds: number): Frames =>
  ({ median: round1(median(intervals)), p95: round1(quantile(intervals, 0.95)), max: round1(Math.max(...intervals)), count: intervals.length, seconds: round1(seconds) });

/** requestAnimationFrame intervals (ms) in the page while the mouse drags the map for ~2 s, then six wheel zooms. */
async function panAndZoom(page: Page): Promise<{ intervals: number[]; seconds: number }> {
  const box = (await page.locator('.case-map canvas.maplibregl-canvas').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__collect = true;
    let last = -1;
    const loop = (t) => {
      if (last >= 0) window.__frames.push(t - last);
      last = t;
      if (window.__collect) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  })()`);
  const t0 = performance.now();
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  // A figure of eight round the start, 520 × 280 px (~2 s of 30 moves a second).
  const path = (i: number) => { const a = (i / 60) * 2 * Math.PI; return [cx + 260 * Math.sin(a), cy + 140 * Math.sin(2 * a)] as const; };
  for (let i = 1; i <= 60; i++) {
    const [x, y] = path(i);
    await page.mouse.move(x, y);
    await page.waitForTimeout(33);
  }
  await page.mouse.up();
  for (const dy of [-300, -300, -300, 300, 300, 300]) {
    await page.mouse.wheel(0, dy);
    await page.waitForTimeout(400);
  }
  await page.waitForTimeout(300);
  const frames = await page.evaluate<number[]>('window.__collect = false, window.__frames');
  return { intervals: frames, seconds: (performance.now() - t0) / 1000 };
}

export async function run(options: { log?: (line: string) => void } = {}): Promise<BenchEntry[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  if (!existsSync(join(root, 'index.html'))) throw new Error('web/dist is missing: run npm run build:web first');
  const sizes = [0, POINTS];
  const t0 = performance.now();
  const { server, base, unknown, pointsBytes } = await serve(sizes);
  log(`web_map: stubbed API (browser side only), ${POINTS.toLocaleString('en')} synthetic points (${(pointsBytes / 1e6).toFixed(1)} MB of JSON) made in ${Math.round(performance.now() - t0)} ms`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
  const errors: string[] = [];
  const entries: BenchEntry[] = [];
  try {
    const probe = await browser.newPage();
    const renderer = await probe.evaluate<string>(`(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const ext = gl && gl.getExtension('WEBGL_debug_renderer_info');
      return gl ? String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)) : 'no WebGL2';
    })()`);
    await probe.close();
    log(`web_map: WebGL2 renderer ${renderer}`);
    const result: Record<Mode, Record<number, { ready: number; data: number; frames: Frames; switchMs?: number }>> = { cluster: {}, heat: {} };
    for (const mode of MODES) {
      for (const n of sizes) {
        const readies: number[] = [];
        const datas: number[] = [];
        const tasks: number[] = [];
        const intervals: number[] = [];
        const switches: number[] = [];
        let seconds = 0;
        // Each run: a cold load, the pans and zooms (frames pooled over the runs), and in cluster mode the switch to heat.
        for (let r = 0; r < RUNS; r++) {
          const load = await openMap(browser, base, n, mode, errors);
          readies.push(load.readyMs);
          datas.push(load.dataMs);
          tasks.push(load.longestTaskMs);
          await load.page.waitForTimeout(500);
          const pan = await panAndZoom(load.page);
          intervals.push(...pan.intervals);
          seconds += pan.seconds;
          if (mode === 'cluster') {
            // The user switches to the heat map: from the click to the heat drawn.
            const before = await load.page.evaluate<number>('performance.now()');
            await load.page.getByRole('button', { name: '热力' }).click();
            await waitRendered(load.page, n, 'heat', `heat with ${n} points after the switch`);
            switches.push((await load.page.evaluate<number>('window.__rendered.at(-1).at')) - before);
          }
          await load.close();
        }
        const f = framesOf(intervals, seconds);
        const switchMs = switches.length ? Math.round(median(switches)) : undefined;
        result[mode][n] = { ready: Math.round(median(readies)), data: Math.round(median(datas)), frames: f, switchMs };
        log(`web_map ${mode} ${n.toLocaleString('en')} points: drawn ${Math.round(median(readies))} ms after navigation (runs ${readies.map(Math.round).join(', ')}; points JSON in at ${Math.round(median(datas))} ms; longest main-thread task before drawn ${Math.round(median(tasks))} ms); pan+zoom frames median ${f.median} ms, p95 ${f.p95} ms, longest ${f.max} ms (${f.count} frames in ${f.seconds} s over ${RUNS} runs)${switchMs === undefined ? '' : `; switch to heat ${switchMs} ms (runs ${switches.map(Math.round).join(', ')})`}`);
      }
    }
    if (unknown.size) log(`web_map: requests not stubbed (answered 404): ${[...unknown].join(', ')}`);
    if (errors.length) log(`web_map: page errors: ${[...new Set(errors)].slice(0, 5).join(' | ')}`);
    const anchorName = (what: string) => `the same page with 0 points (stubbed API), ${what}`;
    const entry = (name: string, value: number, anchor: number, unit: string, target: number | null, what: string): BenchEntry =>
      ({ name, database: null, value, unit, target, better: 'lower', anchor: { name: anchorName(what), value: anchor, unit }, ratio: anchor > 0 ? Math.round((value / anchor) * 100) / 100 : null });
    for (const mode of MODES) {
      const [a, b] = [result[mode][0]!, result[mode][POINTS]!];
      entries.push(
        entry(`web_map_${mode}_ready`, b.ready, a.ready, 'ms', 3000, 'navigation to the map drawn'),
        entry(`web_map_${mode}_frame_p95`, b.frames.p95, a.frames.p95, 'ms', 50.1, 'p95 frame interval while panning and zooming'), // 20 fps
        // 30 fps: two intervals of the 60 Hz vsync (the intervals come in steps of 16.7 ms).
        entry(`web_map_${mode}_frame_median`, b.frames.median, a.frames.median, 'ms', 33.4, 'median frame interval while panning and zooming'),
        entry(`web_map_${mode}_frame_max`, b.frames.max, a.frames.max, 'ms', null, 'longest frame while panning and zooming'),
      );
    }
    if (MODES.includes('cluster')) entries.push(entry('web_map_heat_switch', result.cluster[POINTS]!.switchMs!, result.cluster[0]!.switchMs!, 'ms', 1000, 'click on 热力 to the heat map drawn'));
    return entries;
  } finally {
    await browser.close();
    server.close();
  }
}
