// The city the fuzzer attacks: the real app over a test database, with a four-district territory, the
// catalog, departments, cases, a photo, an Open311 key, an evaluation scheme with a round and a run, so
// that fuzzed ids and codes meet real rows. A superuser holds every role city-wide, so every request
// gets past the access check to validation and the handler; an anonymous caller is the other identity.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { RESULT_ACTIONS } from '@cityops/domain/evaluation/lifecycle';
import type { Database } from '../../db/schema.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { buildApp } from '../app.ts';
import { createContext } from '../context.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../rate-limits.ts';
import { DiskAttachmentStore } from '../../attachments/attachment-store.ts';
import { cliActor } from '../../audit/audit.ts';
import { createApiKey } from '../../access/access.service.ts';
import { hashPassword } from '../../access/passwords.ts';
import { seedBaseData, SEED_DATA_DIR } from '../../seed/base-data.ts';
import { importTerritory, parseTerritoryFeatures } from '../../territory/territory-import.ts';
import { importCaseStandards } from '../../catalog/case-standards.service.ts';
import { TEST_PASSWORD, TestClient } from '../../test/http.ts';
import { fourDistrictTerritory, TEST_CHECKLIST, TEST_SCHEME } from '../../evaluation/evaluation.test-support.ts';
import { PNG_1PX } from '../../cases/cases.test-support.ts';
import { RouteCatalog, type FuzzRoute } from './routes.ts';
import { installWriteWatch } from './write-watch.ts';
import type { Pools, Schema } from './schema-arbitrary.ts';

/** Open311 GeoReport v2's parameter names (its routes carry no JSON Schema). */
const OPEN311_PARAMETERS = ['jurisdiction_id', 'service_code', 'service_request_id', 'service_request_id_ext', 'start_date', 'end_date', 'status', 'lat', 'long', 'address_string', 'address_id',
  'email', 'device_id', 'account_id', 'first_name', 'last_name', 'phone', 'description', 'media_url', 'update_id', 'updated_datetime', 'extensions', 'attribute[fixmystreet_id]', 'attribute[component_code]', 'page', 'page_size'];

const GRANTS = [
  ...(['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'territory_government', 'third_party_evaluator', 'leader'] as const).map((role) => ({ role, territoryCode: '990100' })),
  { role: 'department', departmentCode: 'HWC' }, { role: 'public' },
];
const SUPERUSER = 'fuzz-root';

export interface FuzzWorld {
  client: TestClient;
  db: Kysely<Database>;
  routes: FuzzRoute[];
  tables: string[];
  token: string;
  apiKey: string;
  pools: Pools;
  parameterNames: string[];
  features: unknown[];
  propertyNames: string[];
  textDocuments: string[];
  /** After a write was accepted: puts the superuser (roles, password, session) and the API key back if it took them. */
  restoreIdentities(): Promise<void>;
  close(): Promise<void>;
}

const unlimited: RateLimits = Object.fromEntries(Object.keys(DEFAULT_RATE_LIMITS).map((k) => [k, { limit: 1e9, windowMs: 60_000 }])) as RateLimits;

export async function buildFuzzWorld(database: DatabaseHandle, options: { attachmentMaxBytes: number; logger?: { level: string } }): Promise<FuzzWorld> {
  const db = database.db;
  await seedBaseData(db, cliActor());
  await importTerritory(db, cliActor(), parseTerritoryFeatures(fourDistrictTerritory()));
  const standard = (classCode: string) => ({
    classKind: 'matter' as const, classCode, territoryCode: null, disposal: '处置', registrationCondition: '发现', closingCondition: '处置完毕',
    departmentRule: 'department:HWC|territorial:street', urgency: 'normal' as const, limit: { value: 4, unit: 'working_hours' as const },
  });
  const now = Date.now();
  const cityId = (await db.selectFrom('territory_nodes').select('id').where('code', '=', '990100').executeTakeFirstOrThrow()).id;
  for (const [code, name] of [['HWC', '市环境卫生管理处'], ['SZC', '市市政设施管理处']] as const) {
    await db.insertInto('departments').values({ code, name, kind: 'professional', territory_node_id: cityId, parent_id: null, phone: null, active: 1, created_at: now, updated_at: now }).execute();
  }
  await importCaseStandards(db, cliActor(), ['06010', '01023', '07001'].map(standard));
  const tables = await installWriteWatch(db);

  // Rate limits out of the way (every request must reach validation); uploads capped low so that an oversized one is cheap to send.
  const attachments = new DiskAttachmentStore(await mkdtemp(join(tmpdir(), 'cityops-fuzz-')));
  const context = createContext(db, database.dialect, { sessionTtlHours: 12, attachmentMaxBytes: options.attachmentMaxBytes, rateLimits: unlimited }, { attachments });
  const catalog = new RouteCatalog();
  const client = new TestClient(await buildApp(context, { onRoute: catalog.onRoute, ...(options.logger ? { logger: options.logger } : {}) }), database, attachments, context);

  const passwordHash = await hashPassword(TEST_PASSWORD);
  await client.createUser(GRANTS, SUPERUSER);
  const superuserId = (await db.selectFrom('users').select('id').where('username', '=', SUPERUSER).executeTakeFirstOrThrow()).id;
  const grantRows = await db.selectFrom('user_roles').selectAll().where('user_id', '=', superuserId).execute();
  const login = async () => {
    const res = await client.request('POST', '/api/auth/login', { body: { username: SUPERUSER, password: TEST_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`fuzz superuser cannot sign in: ${res.body}`);
    return res.json().token as string;
  };
  let token = await login();
  const key = await createApiKey(db, cliActor(), { name: 'fuzz', client: 'fuzz' });

  // Rows for fuzzed ids and codes to meet: a photo, cases from three channels, an evaluation with a round and a run.
  const as = async (method: 'POST' | 'PUT', url: string, body: unknown, expect: number, contentType?: string) => {
    const res = await client.request(method, url, { token, body, ...(contentType ? { contentType } : {}) });
    if (res.statusCode !== expect) throw new Error(`fuzz world: ${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res;
  };
  await as('POST', '/api/attachments?filename=site.png', PNG_1PX, 201, 'image/png');
  for (const lon of [118.8005, 118.8025]) await as('POST', '/api/cases', { source: 'inspector', classCode: '06010', description: '暴露垃圾', location: { lon, lat: 32.0005 } }, 201);
  await as('POST', '/api/public/reports', { classCode: '06010', description: '路边垃圾', location: { lon: 118.8045, lat: 32.0005 } }, 201);
  const o311 = await client.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `api_key=${key.key}&service_code=06010&lat=32.0005&long=118.8065&description=x` });
  if (o311.statusCode !== 200) throw new Error(`fuzz world: Open311 report answered ${o311.statusCode}: ${o311.body}`);
  await as('PUT', '/api/evaluation/checklists/test', { standard: TEST_CHECKLIST }, 200);
  await as('PUT', '/api/evaluation/schemes/city-2026', { scheme: TEST_SCHEME }, 200);
  await as('POST', '/api/evaluation/rounds', { schemeCode: 'city-2026', period: '2026-10', seed: 7 }, 201);
  await as('POST', '/api/evaluation/runs', { schemeCode: 'city-2026', period: '2026-10' }, 201);

  const routes = catalog.routes;
  const pools = await harvestPools(db, routes);
  const documents = await harvestDocuments(client, token, routes);
  pools.documents = documents;
  const collections = documents.filter((d): d is { features: unknown[] } => (d as { type?: string }).type === 'FeatureCollection' && Array.isArray((d as { features?: unknown }).features));
  const features = collections.flatMap((c) => c.features.slice(0, 3));
  const propertyNames = [...new Set(features.flatMap((f) => Object.keys((f as { properties?: object }).properties ?? {})))];
  const parameterNames = [...new Set([...OPEN311_PARAMETERS, ...routes.flatMap((r) => [...Object.keys(r.querystring?.properties ?? {}), ...Object.keys(r.body?.properties ?? {})])])];

  return {
    client, db, routes, tables, apiKey: key.key, pools, parameterNames, features, propertyNames, textDocuments: await textDocuments(),
    get token() { return token; },
    async restoreIdentities() {
      const user = await db.selectFrom('users').select('status').where('id', '=', superuserId).executeTakeFirstOrThrow();
      const roles = await db.selectFrom('user_roles').select(['role']).where('user_id', '=', superuserId).execute();
      if (user.status !== 'active' || roles.length !== grantRows.length) {
        await db.updateTable('users').set({ status: 'active', password_hash: passwordHash }).where('id', '=', superuserId).execute();
        await db.deleteFrom('user_roles').where('user_id', '=', superuserId).execute();
        await db.insertInto('user_roles').values(grantRows).execute();
      }
      await db.updateTable('api_keys').set({ revoked_at: null }).where('id', '=', key.id).execute();
      const me = await client.request('GET', '/api/auth/me', { token });
      if (me.statusCode !== 200) {
        await db.updateTable('users').set({ status: 'active', password_hash: passwordHash }).where('id', '=', superuserId).execute();
        token = await login();
      }
    },
    close: () => client.close(),
  };
}

/** Codes and ids that exist, and every literal the routes' schemas name: fuzzed values that reach real rows. */
async function harvestPools(db: Kysely<Database>, routes: FuzzRoute[]): Promise<Pools> {
  const column = async (table: keyof Database, name: string, limit = 40) =>
    (await sql<{ v: unknown }>`select ${sql.ref(name)} as v from ${sql.table(table)} order by 1 limit ${limit}`.execute(db)).rows.map((r) => r.v);
  const strings = new Set<string>(['json', 'xml', 'pdf', 'xlsx', '2026-10', '2026-10-H1', '2026-10-H2', '2026-Q4', '2026', '2025-12', 'cn-mainland', 'city-2026', 'test', 'default', ...Object.keys(RESULT_ACTIONS)]);
  strings.add('image/png');
  for (const [table, name] of [['territory_nodes', 'code'], ['departments', 'code'], ['catalog_classes', 'code'], ['catalog_versions', 'code'], ['cases', 'code'], ['users', 'username'], ['components', 'code']] as const) {
    for (const v of await column(table, name)) strings.add(String(v));
  }
  const literals = (s: Schema | undefined): void => {
    if (!s || typeof s !== 'object') return;
    if (typeof s.const === 'string') strings.add(s.const);
    for (const v of Object.values(s)) if (v && typeof v === 'object') literals(v as Schema);
  };
  for (const r of routes) [r.params, r.querystring, r.body].forEach(literals);
  const integers = new Set<number>([0, 1, 2, 3, 4, 5, 8]);
  for (const table of ['cases', 'attachments', 'users', 'api_keys', 'evaluation_runs', 'inspection_rounds', 'inspection_points', 'case_standards', 'catalog_classes'] as const) {
    for (const v of await column(table, 'id', 5)) integers.add(Number(v));
  }
  // Photos as the portal takes them (base64): a real image, and others whose bytes are new to the store.
  const blobs = ['', 'a', 'b', 'c'].map((tail) => Buffer.concat([PNG_1PX, Buffer.from(tail)]).toString('base64'));
  return { strings: [...strings], integers: [...integers], documents: [], blobs };
}

/** What the app serves without parameters (and the world's scheme and checklist): JSON documents to break and send back. */
async function harvestDocuments(client: TestClient, token: string, routes: FuzzRoute[]): Promise<unknown[]> {
  const urls = routes.filter((r) => r.method === 'GET' && r.url.startsWith('/api/') && r.pathParams.length === 0 && (r.querystring?.required ?? []).length === 0).map((r) => r.url);
  urls.push('/api/evaluation/checklists/test', '/api/evaluation/schemes/city-2026', '/api/performance-schemes/region', '/api/calendars/cn-mainland/days?year=2026');
  const out: unknown[] = [];
  for (const url of urls) {
    const res = await client.request('GET', url, { token });
    if (res.statusCode !== 200 || !res.headers['content-type']?.toString().includes('json') || res.body.length > 50_000) continue;
    out.push(res.json());
  }
  return out;
}

/** The sample files and seed CSVs the project ships, a few lines each. */
async function textDocuments(): Promise<string[]> {
  const out: string[] = [];
  for (const dir of [SEED_DATA_DIR, new URL('samples/', SEED_DATA_DIR)]) {
    for (const name of await readdir(dir)) {
      if (!/\.(csv|jsonl)$/.test(name)) continue;
      out.push((await readFile(new URL(name, dir), 'utf8')).split('\n').slice(0, 12).join('\n'));
    }
  }
  return out;
}

