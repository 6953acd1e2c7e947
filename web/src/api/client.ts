// The one place that talks HTTP to the CityOps server. Feature modules (auth.ts, territory.ts, …)
// describe endpoints and their types on top of `request`; if the server's shapes move, adapt there.

export interface FieldIssue {
  field: string;
  message: string;
  row?: number;
}

/** An error answer of the API ({ error: { code, message, issues } }) or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: FieldIssue[];

  constructor(status: number, code: string, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export interface Paged<T> {
  total: number;
  limit?: number;
  offset?: number;
  items: T[];
}

export type Query = Record<string, string | number | boolean | null | undefined>;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  query?: Query;
  /** A JSON value, a string that already is JSON (sent as-is, e.g. an imported file), or a Blob/File sent raw. */
  body?: unknown;
  /** The type of a body that is not JSON: a CSV import; a File defaults to its own type. */
  contentType?: string;
  /** What the answer may be: JSON unless a file is downloaded. */
  accept?: string;
  /** More request headers, e.g. an idempotency key. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const TOKEN_KEY = 'cityops.token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

let unauthorizedHandler: (() => void) | null = null;

/** Called when the server refuses our token (expired or revoked session). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return typeof value === 'object' && value !== null && typeof (value as FieldIssue).field === 'string';
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)?.error;
  if (error && typeof error.message === 'string') {
    const issues = Array.isArray(error.issues) ? error.issues.filter(isFieldIssue) : [];
    return new ApiError(response.status, typeof error.code === 'string' ? error.code : `http_${response.status}`, error.message, issues);
  }
  return new ApiError(response.status, `http_${response.status}`, `${response.status} ${response.statusText}`.trim());
}

/**
 * Sends with the session token and answers the response when the server accepted it; a refusal becomes
 * an ApiError with the server's code and field issues (a refused token also ends the session), a network
 * failure an ApiError of status 0. request() reads the JSON; downloads and uploads use the response.
 */
export async function send(method: Method, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers, 'x-cityops-client': 'web', accept: options.accept ?? 'application/json' };
  const token = tokenStore.get();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof Blob) {
    headers['content-type'] = options.contentType ?? (options.body.type || 'application/octet-stream');
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), { method, headers, body: body ?? null, signal: options.signal ?? null });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && token) unauthorizedHandler?.();
    throw error;
  }
  return response;
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, signal?: AbortSignal) => request<T>('POST', path, { body, signal }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
};

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Saves a file the server renders (XLSX, PDF, CSV) under `filename`, through the same session and errors. */
export async function downloadFile(path: string, query: Query, filename: string): Promise<void> {
  const response = await send('GET', path, { query, accept: '*/*' });
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
