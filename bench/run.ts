import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchEntry } from './entry.ts';

// Each benchmark module exports run(): Promise<BenchEntry[]>. Long data-set benchmarks join here in later issues.
const BENCHMARKS: Record<string, () => Promise<{ run: () => Promise<BenchEntry[]> }>> = {
  grid_assignment: () => import('./grid-assignment.bench.ts'),
  deadline_computation: () => import('./deadline.bench.ts'),
  intake_http: () => import('./intake.bench.ts'),
  monthly_evaluation: () => import('./evaluation.bench.ts'),
  web_load: () => import('./web.bench.ts'),
  web_map: () => import('./map.bench.ts'),
  case_queries: () => import('./case-queries.bench.ts'),
  server_memory: () => import('./memory.bench.ts'),
  integrity: () => import('./integrity.bench.ts'),
};

const only = process.argv.slice(2);
const unknown = only.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}: the names are ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const entries: BenchEntry[] = [];
for (const [name, load] of Object.entries(BENCHMARKS)) {
  if (only.length && !only.includes(name)) continue;
  const results = await (await load()).run();
  for (const r of results) {
    const meets = r.better === 'lower' ? r.value <= (r.target ?? 0) : r.value >= (r.target ?? 0);
    const verdict = r.target === null ? '' : meets ? ' (meets target)' : ' (MISSES target)';
    console.log(`${r.name}${r.database ? ` [${r.database}]` : ''}: ${r.value.toLocaleString('en')} ${r.unit}, target ${r.target?.toLocaleString('en') ?? '—'}${verdict}`);
    entries.push(r);
  }
}
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL('latest.json', dir);
// A run of some benchmarks replaces their entries and keeps the others' last figures (each entry has its own `at`).
const at = new Date().toISOString();
const keyOf = (e: BenchEntry) => `${e.name}/${e.database ?? ''}`;
const fresh = new Set(entries.map(keyOf));
const kept = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { entries?: (BenchEntry & { at?: string })[]; at?: string }).entries ?? []) : [];
const previousAt = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { at?: string }).at : undefined;
const merged = [...kept.filter((e) => !fresh.has(keyOf(e))).map((e) => ({ ...e, at: e.at ?? previousAt })), ...entries.map((e) => ({ ...e, at }))];
writeFileSync(file, `${JSON.stringify({ at, node: process.version, cpus: os.cpus().length, entries: merged }, null, 2)}\n`);
