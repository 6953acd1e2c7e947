// A closed-loop HTTP load generator for benchmarks, run in a worker thread so that it does not share
// the server's event loop: `concurrency` loops, each posting the next body as soon as the previous
// answer arrives, over keep-alive sockets, for `durationMs`. Reports every latency.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  expectStatus: number;
}

export interface LoadResult {
  count: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  latenciesMs: number[];
}

const spec = workerData as LoadSpec;
const target = new URL(spec.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });

function post(body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { ...spec.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

let next = 0;
const latencies: number[] = [];
let errors = 0;
let firstError: string | null = null;

async function loop(until: number, record: boolean): Promise<number> {
  let count = 0;
  while (performance.now() < until) {
    const body = spec.bodies[next++ % spec.bodies.length]!;
    const t0 = performance.now();
    try {
      const res = await post(body);
      if (res.status !== spec.expectStatus) {
        errors += record ? 1 : 0;
        firstError ??= `${res.status} ${res.text.slice(0, 300)}`;
      }
    } catch (error) {
      errors += record ? 1 : 0;
      firstError ??= String(error);
    }
    if (record) latencies.push(performance.now() - t0);
    count++;
  }
  return count;
}

const loops = (until: number, record: boolean) => Promise.all(Array.from({ length: spec.concurrency }, () => loop(until, record)));
await loops(performance.now() + spec.warmupMs, false);
errors = 0;
const started = performance.now();
const counts = await loops(started + spec.durationMs, true);
const result: LoadResult = { count: counts.reduce((a, b) => a + b, 0), errors, firstError, elapsedMs: performance.now() - started, latenciesMs: latencies };
agent.destroy();
parentPort!.postMessage(result);
