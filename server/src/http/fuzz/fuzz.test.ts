// Property-based fuzzing of every route of the real app (issue 9): each route's path, query and body drawn
// from its own schema and spoiled, sent as a superuser (every role, city-wide, so that requests reach
// validation and the handlers) and as an anonymous caller. Every answer: no 5xx, the error format with a
// code and a message (and the field, when one field was broken), and a refusal changes nothing
// (runner.ts says what a refusal may touch by design).
//   FUZZ_RUNS=n      requests per route as the superuser (anonymous: a fifth); CI 25, CITYOPS_LONG_TESTS=1 200
//   FUZZ_SEED=n      the base seed (fixed in CI; printed with every failure)
//   FUZZ_ROUTE=text  only the routes whose "METHOD /path" contains it
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnBothDatabases } from '../../test/databases.ts';
import { routeKey } from './routes.ts';
import { fuzzRoute, newStats } from './runner.ts';
import type { RequestContext } from './requests.ts';
import { buildFuzzWorld, type FuzzWorld } from './world.ts';

const LONG = process.env.CITYOPS_LONG_TESTS === '1';
const RUNS = Number(process.env.FUZZ_RUNS ?? (LONG ? 200 : 25));
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const ONLY = process.env.FUZZ_ROUTE;
const ATTACHMENT_MAX_BYTES = 64 * 1024;

describeOnBothDatabases('fuzzing every route', (database) => {
  let world: FuzzWorld;
  let ctx: RequestContext;
  before(async () => {
    world = await buildFuzzWorld(database(), { attachmentMaxBytes: ATTACHMENT_MAX_BYTES });
    ctx = {
      pools: world.pools, parameterNames: world.parameterNames, apiKey: world.apiKey, textDocuments: world.textDocuments,
      geo: { propertyNames: world.propertyNames, features: world.features, maxPoints: LONG ? 1_000_000 : 100_001 },
      hugeChars: LONG ? 2_000_000 : 100_000, oversizedUpTo: LONG ? 60 * 1024 * 1024 : 1024 * 1024, defaultBodyLimit: 50 * 1024 * 1024,
    };
  });
  after(() => world?.close());

  test('the routes are read from the app itself', () => {
    const keys = new Set(world.routes.map(routeKey));
    for (const key of ['POST /api/cases', 'POST /api/territory/import', 'POST /api/attachments', 'POST /open311/v2/requests.:format', 'PUT /api/evaluation/schemes/:code']) assert.ok(keys.has(key), `missing ${key}`);
    assert.ok(!keys.has('HEAD /api/cases'), 'HEAD answers from the GET handler and is not fuzzed twice');
    assert.ok(world.routes.length >= 90, `only ${world.routes.length} routes`);
  });

  test('every route: never a 5xx, a clear 4xx, no partial write', async (t) => {
    const stats = newStats();
    const started = performance.now();
    const routes = world.routes.filter((r) => !ONLY || routeKey(r).includes(ONLY));
    for (const route of routes) {
      await t.test(routeKey(route), async () => {
        await fuzzRoute(world, route, 'superuser', ctx, { numRuns: RUNS, baseSeed: SEED, timeoutMs: 20_000, stats });
        await fuzzRoute(world, route, 'anonymous', ctx, { numRuns: Math.max(1, Math.ceil(RUNS / 5)), baseSeed: SEED, timeoutMs: 20_000, stats });
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const statuses = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ');
    const strategies = [...stats.byStrategy].sort().map(([s, n]) => `${s}:${n}`).join(', ');
    t.diagnostic(`${database().dialect}: ${routes.length} routes, ${stats.requests} requests in ${seconds.toFixed(1)} s (seed ${SEED}, ${RUNS} runs per route); statuses ${statuses}; strategies ${strategies}`);
  });
});
