// A small client of the HTTP API for the end-to-end load and race tests: every answer is returned (status,
// body, whether it was replayed), never thrown, so a test can count what each client was told.
import { openDatabase, type DatabaseHandle } from '../../server/src/db/database.ts';

/** A 1×1 PNG: enough for the server's check of a photo by its magic bytes. */
const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export interface Answer {
  status: number;
  // Bodies are checked field by field by the tests; their static type adds nothing there.
  body: any;
  /** The idempotent-replayed header: true when the server answered from a stored first answer. */
  replayed: boolean;
}

export interface Staff {
  username: string;
  /** The street (territory code) an inspector patrols. */
  street?: string;
}

export function apiClient(base: string) {
  const call = async (method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown; key?: string } = {}): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.key) headers['idempotency-key'] = options.key;
    const res = await fetch(`${base}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, replayed: res.headers.get('idempotent-replayed') === 'true' };
  };
  const login = async (username: string, password = 'demo12345'): Promise<string> => {
    const answer = await call('POST', '/api/auth/login', { body: { username, password } });
    if (answer.status !== 200) throw new Error(`login ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.token as string;
  };
  /** A GET that must succeed. */
  const read = async (token: string, path: string) => {
    const answer = await call('GET', path, { token });
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return {
    call,
    login,
    read,
    post: (token: string, path: string, body: unknown, key?: string) => call('POST', path, { token, body, ...(key ? { key } : {}) }),
    act: (token: string, caseId: number, action: string, body: unknown = {}, key?: string) => call('POST', `/api/cases/${caseId}/actions/${action}`, { token, body, ...(key ? { key } : {}) }),
    /** Uploads a 1×1 PNG as a photo; returns its id. */
    async photo(token: string): Promise<number> {
      const res = await fetch(`${base}/api/attachments?filename=site.png`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: PNG_1PX });
      if (res.status !== 201) throw new Error(`photo upload: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: number }).id;
    },
    /** The first `n` inspectors of the demo city with their street, and the grid centres of each street. */
    async inspectors(adminToken: string, n: number): Promise<{ username: string; street: string; points: [number, number][] }[]> {
      const users = (await read(adminToken, `/api/users?role=inspector&limit=${n}`)).items as { username: string; grants: { role: string; territoryCode: string }[] }[];
      return Promise.all(users.map(async (u) => {
        const street = u.grants.find((g) => g.role === 'inspector')!.territoryCode;
        const grids = (await read(adminToken, `/api/territory/nodes?within=${street}&level=grid&limit=200`)).items as { centroid: [number, number] }[];
        return { username: u.username, street, points: grids.map((g) => g.centroid) };
      }));
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Opens the server's database from the test process (SQLite: the same file, read beside the server as a second connection). */
export function openServerDatabase(url: string): DatabaseHandle {
  return openDatabase({ url, ...(url.startsWith('postgres') ? { poolSize: 2 } : {}) });
}

/** Runs `work` for each item with at most `width` at once. */
export async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  }));
  return out;
}
