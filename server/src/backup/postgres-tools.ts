import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { BackupError } from './backup-manifest.ts';

/** The PostgreSQL client programs backup and restore run, found on PATH as an operator would run them. */
export type PgToolName = 'pg_dump' | 'pg_restore' | 'psql';

export interface PgTool {
  path: string;
  version: string;
  major: number;
}

export function findOnPath(name: string, pathEnv: string): string | null {
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return null;
}

export async function pgTool(name: PgToolName, pathEnv: string): Promise<PgTool> {
  const path = findOnPath(name, pathEnv);
  if (path === null) {
    throw new BackupError('tools', `${name} was not found on PATH: install the PostgreSQL client programs of the server's major version or newer `
      + '(Debian/Ubuntu: apt-get install postgresql-client; RHEL: dnf install postgresql) and put them on PATH');
  }
  const { code, stdout, stderr } = await runTool(path, ['--version'], process.env);
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(stdout);
  if (code !== 0 || !match) throw new BackupError('tools', `${path} --version did not answer as a PostgreSQL program: ${(stdout + stderr).trim()}`);
  return { path, version: match[2] === undefined ? match[1]! : `${match[1]}.${match[2]}`, major: Number(match[1]) };
}

/**
 * The URL without its password, and the password in PGPASSWORD: a password on a command line is visible to
 * every user of the machine (ps).
 */
export function connectionFor(url: string): { url: string; env: NodeJS.ProcessEnv; shown: string } {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (parsed.password !== '') env.PGPASSWORD = decodeURIComponent(parsed.password);
  parsed.password = '';
  const bare = parsed.toString();
  return { url: bare, env, shown: `${parsed.host}${parsed.pathname}` };
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end; all its output is kept, and the tail of its errors (they are at the end). */
export function runTool(path: string, args: string[], env: NodeJS.ProcessEnv): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = collect(child, 'stdout', Number.POSITIVE_INFINITY);
    const stderr = collect(child, 'stderr');
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout: stdout(), stderr: stderr() }));
  });
}

const KEEP = 64 * 1024;

export function collect(child: ChildProcess, stream: 'stdout' | 'stderr', keep = KEEP): () => string {
  let text = '';
  child[stream]?.setEncoding('utf8');
  child[stream]?.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > 2 * keep) text = text.slice(-keep);
  });
  return () => text;
}

/** The last lines of a program's error output, for a message. */
export const tail = (text: string) => text.trim().split('\n').slice(-6).join(' | ');
