// The server compiled ahead of time into one module (plus a chunk per dynamic import) for `npm start` and
// production (decision 0015): no TypeScript is stripped at run time, and the app's own modules load as one.
// Packages stay outside the bundle and load from node_modules as they are; the domain package is ours and
// goes in. Started from server/dist, the server finds its seed data as it does from server/src.
import type { RolldownOptions } from 'rolldown';

const config: RolldownOptions = {
  input: { cityops: new URL('./src/cli/main.ts', import.meta.url).pathname },
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@cityops/') && !id.startsWith('\0'),
  output: { dir: new URL('./dist/', import.meta.url).pathname, format: 'esm', sourcemap: true },
};

export default config;
