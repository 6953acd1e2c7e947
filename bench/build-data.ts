// Builds (or reuses) the benchmarks' data sets, so that a later run measures on them without waiting:
// `node bench/build-data.ts city` (10,000,000 cases; about half an hour on SQLite and longer on
// PostgreSQL), `node bench/build-data.ts evaluation`, or both. BENCH_CITY_DATABASES / BENCH_EVAL_DATABASES
// name the databases (both by default).
import { CITY_DATA, EVALUATION_DATA, openDataSet, type DataSetSpec } from './data-sets.ts';

const SETS: Record<string, DataSetSpec> = { city: CITY_DATA, evaluation: EVALUATION_DATA };
const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in SETS));
if (!names.length || unknown.length) {
  console.error(`usage: node bench/build-data.ts ${Object.keys(SETS).join('|')} …${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  process.exit(2);
}
for (const name of names) {
  const spec = SETS[name]!;
  for (const dialect of spec.databases) {
    const data = await openDataSet(spec, dialect, (line) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`));
    await data.handle.close();
  }
}
