// What every browser journey shares: Debian's Chromium through playwright-core, where screenshots go,
// a photo to upload, watching pages for errors, and signing in through the page or the API.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './serve.ts';

// Debian's chromium, installed by .ci/run. CHROMIUM_PATH points elsewhere on other machines.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The closed network refuses Chromium's background connections; these flags keep it quiet and fast.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots go to tmp/ (ignored); CITYOPS_SCREENSHOTS=docs writes the ones the README shows. */
export const shotDir = process.env.CITYOPS_SCREENSHOTS === 'docs' ? join(repoRoot, 'docs/screenshots') : join(repoRoot, 'tmp/screenshots');

/** A 1×1 PNG: a site photo as far as the server's content checks go. */
export const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const PNG_FILE = { name: 'site.png', mimeType: 'image/png', buffer: PNG_BYTES };

export async function launchBrowser(): Promise<Browser> {
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}: apt-get install chromium (as .ci/run does) or set CHROMIUM_PATH`);
  assert.ok(existsSync(join(repoRoot, 'web/dist/index.html')), 'web/dist is missing: npm run build:web first (npm test does)');
  mkdirSync(shotDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

/** Collects what must not happen on a journey: script errors in the page and 5xx answers. */
export class PageWatch {
  readonly pageErrors: string[] = [];
  readonly failedRequests: string[] = [];
  watch(page: Page): Page {
    page.on('pageerror', (e) => this.pageErrors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) this.failedRequests.push(`${r.status()} ${r.url()}`); });
    return page;
  }
  assertClean(): void {
    assert.deepEqual(this.pageErrors, []);
    assert.deepEqual(this.failedRequests, []);
  }
}

/** Signs in through the login page (Chinese labels) and waits for the navigation. */
export async function signInPage(page: Page, base: string, username: string, password = 'demo12345'): Promise<void> {
  await page.goto(base);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

/** The API as a test reads it: a session token per demo user, JSON in and out. */
export function apiOf(base: string) {
  const login = async (username: string, password = 'demo12345') =>
    ((await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).json()) as { token: string }).token;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const get = async <T = Record<string, any>>(token: string, path: string) => (await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  return { login, get };
}
