import { resolve } from 'node:path';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  dataDir: string;
  /** Root of the content-addressed photo store. */
  attachmentsDir: string;
  /** Largest accepted upload, in bytes. */
  attachmentMaxBytes: number;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  sessionTtlHours: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  webDistDir: string;
  /** A MapLibre style URL (a tile server); none: the maps draw our GeoJSON on a plain background. */
  mapStyleUrl: string | null;
  /** Run the scheduled jobs in this process (each run is claimed by one process of all that share the database). */
  jobs: boolean;
  demoSeed: number;
  demoScale: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The only reader of the environment. Every variable is checked here, and a bad one stops start-up
 * with its name, rather than surfacing later as an odd failure.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const issues: FieldIssue[] = [];
  const dataDir = resolve(cwd, env.CITYOPS_DATA_DIR ?? 'data');

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      issues.push({ field: name, message: `must be an integer from ${min} to ${max}, got "${raw}"` });
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      issues.push({ field: name, message: `must be one of ${allowed.join(', ')}, got "${raw}"` });
      return fallback;
    }
    return raw as T;
  };

  let databaseUrl = env.DATABASE_URL ?? '';
  if (databaseUrl === '') databaseUrl = resolve(dataDir, 'cityops.sqlite');
  else if (!/^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(databaseUrl) && !/^(sqlite:|\/|\.)/.test(databaseUrl)) {
    issues.push({
      field: 'DATABASE_URL',
      message: 'must be postgres://user@host:port/database, or a SQLite file path (sqlite:./data/x.sqlite)',
    });
  }

  const config: Config = {
    port: integer('PORT', 8080, 0, 65535),
    host: env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0',
    databaseUrl,
    dataDir,
    attachmentsDir: resolve(cwd, env.CITYOPS_ATTACHMENTS_DIR && env.CITYOPS_ATTACHMENTS_DIR !== '' ? env.CITYOPS_ATTACHMENTS_DIR : resolve(dataDir, 'attachments')),
    attachmentMaxBytes: integer('CITYOPS_ATTACHMENT_MAX_MB', 10, 1, 100) * 1024 * 1024,
    sqliteSynchronous: oneOf('CITYOPS_SQLITE_SYNCHRONOUS', ['FULL', 'NORMAL'] as const, 'FULL'),
    sessionTtlHours: integer('CITYOPS_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    webDistDir: resolve(cwd, env.CITYOPS_WEB_DIST ?? 'web/dist'),
    mapStyleUrl: styleUrl(env.CITYOPS_MAP_STYLE_URL, issues),
    jobs: oneOf('CITYOPS_JOBS', ['on', 'off'] as const, 'on') === 'on',
    demoSeed: integer('CITYOPS_DEMO_SEED', 20261122, 0, 2 ** 31 - 1),
    demoScale: integer('CITYOPS_DEMO_GRIDS', 5000, 100, 1_000_000),
  };
  if (issues.length > 0) throw new ValidationError(issues, `invalid configuration: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
  return config;
}

function styleUrl(raw: string | undefined, issues: FieldIssue[]): string | null {
  if (raw === undefined || raw === '') return null;
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch { /* reported below */ }
  issues.push({ field: 'CITYOPS_MAP_STYLE_URL', message: `must be an http(s) URL of a MapLibre style JSON, got "${raw}"` });
  return null;
}
