// Sends fuzzed requests to one route and holds every answer to the rules: never a 5xx (nor no answer);
// a 4xx in the route's error format (the API's envelope with a code, a message and, for bad input, the
// fields; Open311's list of {code, description}), naming the field when exactly one field was broken;
// and a refused request changes nothing. What a refusal may change, by design: the rate-limit windows
// (every attempt counts, refused or not), a session's or API key's last-use time (touched when the caller
// is recognised, before the request is judged). Nothing else: no rows, no audit entry, no stored file.
import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { requestArb, type FuzzRequest, type RequestContext } from './requests.ts';
import { routeKey, type FuzzRoute } from './routes.ts';
import { countFiles, readWriteCounts, writesBetween } from './write-watch.ts';
import type { FuzzWorld } from './world.ts';

export type Identity = 'superuser' | 'anonymous';

export const ALLOWED_ON_REFUSAL = new Set(['rate_limit_windows:insert', 'rate_limit_windows:update', 'rate_limit_windows:delete', 'sessions:update', 'api_keys:update']);

export interface FuzzStats {
  requests: number;
  byStatus: Map<number, number>;
  byStrategy: Map<string, number>;
}

export const newStats = (): FuzzStats => ({ requests: 0, byStatus: new Map(), byStrategy: new Map() });

const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text);

export function describeRequest(req: FuzzRequest): string {
  const payload = req.payload === undefined ? '' : typeof req.payload === 'string' ? req.payload : `<${req.payload.byteLength} bytes: ${req.payload.subarray(0, 40).toString('hex')}>`;
  return `${req.method} ${cut(req.url, 300)} [${req.strategy}] headers=${cut(JSON.stringify(req.headers), 300)} body=${cut(payload, 400)}`;
}

const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** What is wrong with an answer, as sentences; empty when it keeps every rule. */
export function responseProblems(req: FuzzRequest, res: LightMyRequestResponse, identity: Identity): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) return [`answered ${res.statusCode}: ${cut(res.body, 500)}`];
  if (res.statusCode < 400) return problems;
  const path = req.url.split('?')[0]!;
  const type = String(res.headers['content-type'] ?? '');
  if (path.startsWith('/open311/')) {
    if (path.endsWith('.json')) {
      let list: unknown;
      try {
        list = JSON.parse(res.body);
      } catch {
        return [`Open311 ${res.statusCode} is not JSON: ${cut(res.body, 200)}`];
      }
      if (!Array.isArray(list) || list.length === 0 || !list.every((e) => e && (typeof e.code === 'number' || nonEmpty(e.code)) && nonEmpty(e.description))) problems.push(`Open311 ${res.statusCode} is not a list of {code, description}: ${cut(res.body, 200)}`);
    } else if (!/<errors>\s*<error>\s*<code>[^<]+<\/code>\s*<description>[^<]+<\/description>/.test(res.body) || !type.startsWith('text/xml')) {
      problems.push(`Open311 ${res.statusCode} is not the XML error list: ${cut(res.body, 200)}`);
    }
    return problems;
  }
  let body: { error?: { code?: unknown; message?: unknown; issues?: { field?: unknown; message?: unknown }[] } };
  try {
    body = JSON.parse(res.body);
  } catch {
    return [`${res.statusCode} is not JSON (${type}): ${cut(res.body, 200)}`];
  }
  const error = body?.error;
  if (!type.startsWith('application/json')) problems.push(`${res.statusCode} has content type ${type}`);
  if (!error || !nonEmpty(error.code) || !nonEmpty(error.message)) return [...problems, `${res.statusCode} without the error envelope {error: {code, message}}: ${cut(res.body, 300)}`];
  if (error.issues !== undefined && (!Array.isArray(error.issues) || !error.issues.every((i) => nonEmpty(i.field) && nonEmpty(i.message)))) problems.push(`issues without a field or message: ${cut(JSON.stringify(error.issues), 300)}`);
  if (error.code === 'validation_failed' && !(Array.isArray(error.issues) && error.issues.length > 0)) problems.push('validation_failed without the fields at fault');
  if (req.expectField && identity === 'superuser') {
    // Array items are named body.days.0 by the schema checks and days[0] by some handlers: read both alike.
    const fields = (error.issues ?? []).map((i) => String(i.field).replace(/\[(\d+)\]/g, '.$1'));
    const named = fields.some((f) => f === req.expectField || f.startsWith(`${req.expectField}.`) || f.startsWith(`${req.expectField}[`));
    if (res.statusCode !== 400 || !named) problems.push(`${req.expectField} was broken: expected a 400 naming it, got ${res.statusCode} ${cut(res.body, 300)}`);
  }
  return problems;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); })]).finally(() => clearTimeout(timer));
}

export async function sendAs(world: FuzzWorld, req: FuzzRequest, identity: Identity, timeoutMs: number): Promise<LightMyRequestResponse | 'timeout'> {
  const headers = { ...req.headers };
  if (identity === 'superuser' && !Object.keys(headers).some((h) => h === 'authorization' || h === 'cookie' || h === 'x-api-key')) headers.authorization = `Bearer ${world.token}`;
  return withTimeout(world.client.app.inject({ method: req.method as 'GET', url: req.url, headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) }), timeoutMs);
}

/** One request, checked; the problems found (empty: all rules kept). */
export async function fuzzOnce(world: FuzzWorld, req: FuzzRequest, identity: Identity, stats: FuzzStats, timeoutMs: number): Promise<string[]> {
  const filesDir = world.client.attachments.rootDir;
  const [before, filesBefore] = await Promise.all([readWriteCounts(world.db), countFiles(filesDir)]);
  const res = await sendAs(world, req, identity, timeoutMs);
  stats.requests++;
  stats.byStrategy.set(req.strategy, (stats.byStrategy.get(req.strategy) ?? 0) + 1);
  if (res === 'timeout') return [`no answer within ${timeoutMs} ms`];
  stats.byStatus.set(res.statusCode, (stats.byStatus.get(res.statusCode) ?? 0) + 1);
  const problems = responseProblems(req, res, identity);
  if (res.statusCode >= 400 && res.statusCode < 500) {
    const [after, filesAfter] = await Promise.all([readWriteCounts(world.db), countFiles(filesDir)]);
    const written = [...writesBetween(before, after)].filter(([k]) => !ALLOWED_ON_REFUSAL.has(k));
    if (written.length) problems.push(`refused with ${res.statusCode} but wrote ${written.map(([k, n]) => `${k} ${n > 0 ? '+' : ''}${n}`).join(', ')}: ${cut(res.body, 300)}`);
    if (filesAfter !== filesBefore) problems.push(`refused with ${res.statusCode} but left ${filesAfter - filesBefore} file(s) in the attachment store: ${cut(res.body, 300)}`);
  } else if (res.statusCode < 400 && req.method !== 'GET') {
    await world.restoreIdentities();
  }
  return problems;
}

/** A stable 32-bit seed per route and identity, so that a CI failure reproduces with the printed FUZZ_SEED. */
export function seedFor(baseSeed: number, route: FuzzRoute, identity: Identity): number {
  let h = baseSeed | 0;
  for (const c of `${identity} ${routeKey(route)}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h | 0;
}

export async function fuzzRoute(world: FuzzWorld, route: FuzzRoute, identity: Identity, ctx: RequestContext, options: { numRuns: number; baseSeed: number; timeoutMs: number; stats: FuzzStats }): Promise<void> {
  const seed = seedFor(options.baseSeed, route, identity);
  try {
    await fc.assert(fc.asyncProperty(requestArb(route, ctx), async (req) => {
      const problems = await fuzzOnce(world, req, identity, options.stats, options.timeoutMs);
      if (problems.length) throw new Error(`${problems.join('\n')}\nrequest as ${identity}: ${describeRequest(req)}`);
    }), { numRuns: options.numRuns, seed });
  } catch (error) {
    (error as Error).message = `${routeKey(route)} as ${identity}; reproduce with FUZZ_SEED=${options.baseSeed} FUZZ_ROUTE='${routeKey(route)}' (fast-check seed ${seed})\n${(error as Error).message}`;
    throw error;
  }
}
