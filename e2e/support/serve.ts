import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname;
const LIBFAKETIME = process.env.LIBFAKETIME ?? '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

export interface RunningServer {
  base: string;
  /** Where its data lives: the SQLite file under the data directory, or the PostgreSQL URL it was given. */
  databaseUrl: string;
  /** The node process serving now (bin/cityops execs node, so no shell stands between). */
  readonly pid: number;
  /**
   * Stops the process and starts it again on the same data and port, its clock shifted by libfaketime
   * (e.g. '+6d': six days later) when asked. Time-bound rules (an appeal window) are then tested as they
   * run, not by writing dates into the database behind the app's back.
   */
  restart(options?: { clockShift?: string }): Promise<void>;
  /** Kills the server process with SIGKILL (no shutdown, no flush, no closing of the database) and waits until it is gone. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start `bin/cityops serve --seed-demo-if-empty` on a fresh SQLite file (or the PostgreSQL database given),
 * the way an operator would.
 * The port is one the system hands out as free (freePort); the offset names the caller.
 */
export async function startDemoServer(portOffset: number, grids = 400, options: { databaseUrl?: string; seedDemo?: boolean } = {}): Promise<RunningServer> {
  const port = await freePort(portOffset);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cityops-e2e-'));
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', CITYOPS_DATA_DIR: dataDir, DATABASE_URL: options.databaseUrl ?? '', CITYOPS_DEMO_GRIDS: String(grids), LOG_LEVEL: 'warn' };
  // The server's own default when DATABASE_URL is empty (config.ts).
  const databaseUrl = options.databaseUrl || join(dataDir, 'cityops.sqlite');
  const command = [join(repoRoot, 'bin/cityops'), 'serve', ...(options.seedDemo === false ? [] : ['--seed-demo-if-empty'])];
  let server = await launch(base, command, env);
  const halt = async () => {
    // A process ended by a signal has no exit code but a signal code: it is gone as well.
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
  };
  return {
    base,
    databaseUrl,
    get pid() { return server.pid!; },
    async restart({ clockShift } = {}) {
      await halt();
      if (clockShift === undefined) {
        server = await launch(base, command, env);
        return;
      }
      // libfaketime (Debian's faketime package, installed by .ci/run), preloaded into the server itself: the
      // `faketime` wrapper would fork, and a signal to the wrapper would leave the server running.
      if (!existsSync(LIBFAKETIME)) throw new Error(`no ${LIBFAKETIME}: apt-get install faketime (as .ci/run does)`);
      server = await launch(base, command, { ...env, LD_PRELOAD: LIBFAKETIME, FAKETIME: clockShift });
    },
    async crash() {
      if (server.exitCode !== null || server.signalCode !== null) throw new Error(`the server had already ended (${server.exitCode ?? server.signalCode})`);
      const pid = server.pid!;
      // The process must be the node server itself: a signal to a wrapper would leave the server running.
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!/(^|\/)node$/.test(argv[0]!) || !argv.some((a) => a.endsWith('cli/main.ts')) || !argv.includes('serve')) {
        throw new Error(`process ${pid} is not the node server: ${argv.join(' ')}`);
      }
      const exited = new Promise((r) => server.once('exit', r));
      process.kill(pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A port the system has just handed out as free. Ports computed from the process id collided now and then between
 * test files running side by side: the second server could not listen, and its tests talked to the first one.
 * `portOffset` only names the caller in the error if none is free.
 */
async function freePort(portOffset: number): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => { probe.once('error', reject); probe.listen(0, '127.0.0.1', resolve); });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  if (!port) throw new Error(`no free port for test server ${portOffset}`);
  return port;
}

async function launch(base: string, command: string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  let output = '';
  const server: ChildProcess = spawn(command[0]!, command.slice(1), { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      // Our own server answers, not another one on the port: it says so once it listens (main.ts).
      if (output.includes('CityOps listening on') && (await fetch(`${base}/healthz`)).ok) return server;
    } catch { /* not listening yet */ }
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    // Often enough that a restart's measured time (the crash tests) is not mostly this wait.
    await new Promise((r) => setTimeout(r, 50));
  }
}
