import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DatabaseHandle } from '../db/database.ts';
import { buildApp, type BuildAppOptions } from '../http/app.ts';
import { createContext, type AppContext, type ContextConfig } from '../http/context.ts';
import { DiskAttachmentStore } from '../attachments/attachment-store.ts';
import { cliActor } from '../audit/audit.ts';
import { createUser, type GrantInput } from '../access/users.service.ts';
import { hashPassword } from '../access/passwords.ts';
import { seedBaseData } from '../seed/base-data.ts';
import { importTerritory, parseTerritoryFeatures } from '../territory/territory-import.ts';
import { fixtureTerritory } from './fixtures.ts';

export const TEST_PASSWORD = 'test-password-1';
let sharedHash: Promise<string> | undefined;

/** An app over a test database, with base data, the fixture territory and helpers to act as a role. */
export async function buildTestApp(database: DatabaseHandle, options: { territory?: boolean; config?: Partial<ContextConfig>; onRoute?: BuildAppOptions['onRoute'] } = {}) {
  await seedBaseData(database.db, cliActor());
  if (options.territory !== false) await importTerritory(database.db, cliActor(), parseTerritoryFeatures(fixtureTerritory()));
  const attachmentsDir = await mkdtemp(join(tmpdir(), 'cityops-attachments-'));
  const attachments = new DiskAttachmentStore(attachmentsDir);
  try {
    const context = createContext(database.db, database.dialect, { sessionTtlHours: 12, ...options.config }, { attachments });
    const app = await buildApp(context, options.onRoute ? { onRoute: options.onRoute } : {});
    return new TestClient(app, database, attachments, context);
  } catch (error) {
    await rm(attachmentsDir, { recursive: true, force: true });
    throw error;
  }
}

export class TestClient {
  readonly app: FastifyInstance;
  readonly database: DatabaseHandle;
  /** The uploads' store, in a temporary directory that close() removes. */
  readonly attachments: DiskAttachmentStore;
  /** What the routes were given (the intake batcher's counts, say). */
  readonly context: AppContext;
  #users = 0;

  constructor(app: FastifyInstance, database: DatabaseHandle, attachments: DiskAttachmentStore, context: AppContext) {
    this.app = app;
    this.database = database;
    this.attachments = attachments;
    this.context = context;
  }

  async createUser(grants: GrantInput[], username = `u${++this.#users}_${grants[0]?.role ?? 'x'}`): Promise<string> {
    sharedHash ??= hashPassword(TEST_PASSWORD);
    await createUser(this.database.db, cliActor(), { username, displayName: username, password: TEST_PASSWORD, grants }, Date.now(), await sharedHash);
    return username;
  }

  /** Creates a user with the grants and returns a bearer token for it. */
  async tokenFor(grants: GrantInput[]): Promise<string> {
    const username = await this.createUser(grants);
    const res = await this.request('POST', '/api/auth/login', { body: { username, password: TEST_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    return res.json().token as string;
  }

  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; contentType?: string } = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.contentType) headers['content-type'] = options.contentType;
    const body = options.body;
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body) : JSON.stringify(body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    return this.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  }

  async close(): Promise<void> {
    try {
      await this.app.close();
    } finally {
      await rm(this.attachments.rootDir, { recursive: true, force: true });
    }
  }
}
