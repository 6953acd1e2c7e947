// The web app's weight and first load (issue 7): the size of what the first page needs (the entry
// script and styles, raw and gzip) and of the chunks loaded on demand (maps, charts), and the time from
// navigation to the sign-in form in headless Chromium, against a blank page served the same way.
// Run `npm run build:web` first (npm test does).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { BenchEntry } from './entry.ts';

const root = new URL('../web/dist/', import.meta.url).pathname;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
const RUNS = 7;

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The files index.html loads at once: its module script, its modulepreloads and its stylesheets. */
function entryFiles(): string[] {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
}

export async function run(options: { log?: (line: string) => void } = {}): Promise<BenchEntry[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  if (!existsSync(join(root, 'index.html'))) throw new Error('web/dist is missing: run npm run build:web first');
  const entry = entryFiles();
  const size = (files: string[], gzip: boolean) => files.reduce((sum, f) => { const b = readFileSync(join(root, f)); return sum + (gzip ? gzipSync(b).byteLength : b.byteLength); }, 0);
  const chunks = readdirSync(join(root, 'assets')).filter((f) => /\.m?js$/.test(f) && !entry.includes(`assets/${f}`));
  // The map library is bundled into the shared map set-up chunk (map-base) with its worker beside it.
  const lazy = (...prefixes: string[]) => chunks.filter((f) => prefixes.some((p) => f.startsWith(p))).map((f) => `assets/${f}`);
  const mapChunks = lazy('map-base', 'maplibre');
  log(`web: entry ${entry.join(', ')}: ${kb(size(entry, false))} KB raw, ${kb(size(entry, true))} KB gzip; maplibre ${kb(size(mapChunks, true))} KB gzip, echarts ${kb(size(lazy('echarts'), true))} KB gzip (loaded on demand)`);

  // A static server for dist/ and, as the anchor, a blank page.
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/blank.html') { res.writeHead(200, { 'content-type': TYPES['.html']! }).end('<!doctype html><title>blank</title><p>blank</p>'); return; }
    // The app asks who is signed in; nobody is.
    if (path.startsWith('/api/')) { res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"unauthenticated","message":"sign in"}}'); return; }
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'], headless: true });
  try {
    const time = async (url: string, ready: (p: import('playwright-core').Page) => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext({ locale: 'zh-CN' });
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(url);
        await ready(page);
        samples.push(performance.now() - t0);
        await context.close();
      }
      return Math.round(median(samples));
    };
    const blank = await time(`${base}/blank.html`, (p) => p.getByText('blank').waitFor());
    const login = await time(`${base}/`, (p) => p.getByLabel('用户名').waitFor());
    log(`web: sign-in form shown in ${login} ms (median of ${RUNS}, cold cache); a blank page ${blank} ms`);
    const anchor = { name: 'a blank HTML page served and shown the same way', value: blank, unit: 'ms' };
    const sizeAnchor = { name: 'the on-demand map library (maplibre-gl and its worker), gzip', value: kb(size(mapChunks, true)), unit: 'KB' };
    return [
      { name: 'web_first_load', database: null, value: login, unit: 'ms', target: 1000, better: 'lower', anchor, ratio: Math.round((login / blank) * 10) / 10 },
      { name: 'web_entry_gzip', database: null, value: kb(size(entry, true)), unit: 'KB', target: 150, better: 'lower', anchor: sizeAnchor, ratio: Math.round((size(entry, true) / size(mapChunks, true)) * 100) / 100 },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
