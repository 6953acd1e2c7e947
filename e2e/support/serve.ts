import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname;

export interface RunningServer {
  base: string;
  stop(): Promise<void>;
}

/**
 * Start `bin/cityops serve --seed-demo-if-empty` on a fresh SQLite file, the way an operator would.
 * Each caller passes its own port offset so that test files running in parallel do not collide.
 */
export async function startDemoServer(portOffset: number, grids = 400): Promise<RunningServer> {
  const port = 18000 + ((process.pid * 7 + portOffset) % 2000);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cityops-e2e-'));
  let output = '';
  const server: ChildProcess = spawn(join(repoRoot, 'bin/cityops'), ['serve', '--seed-demo-if-empty'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CITYOPS_DATA_DIR: dataDir, DATABASE_URL: '', CITYOPS_DEMO_GRIDS: String(grids), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
