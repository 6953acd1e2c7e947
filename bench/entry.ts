/** One figure of `npm run bench`, as written to bench/results/latest.json (docs/benchmarks.md). */
export interface BenchEntry {
  name: string;
  database: 'sqlite' | 'postgres' | null;
  value: number;
  unit: string;
  target: number | null;
  anchor: { name: string; value: number; unit: string } | null;
  ratio: number | null;
  /** Whether a lower value is better (latencies, errors); default higher (rates). */
  better?: 'higher' | 'lower';
}
