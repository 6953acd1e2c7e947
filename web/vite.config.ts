import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `vite build web` runs with web/ as the root, so outDir is web/dist (served by the server, see
// server/src/http/web-app.ts). The map library is loaded lazily (territory/TerritoryMap.tsx) and
// lands in its own chunk; its worker is a separate asset.
const api = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Only the lazily loaded maplibre chunk is this large; the main bundle stays small.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': api, '/healthz': api },
  },
});
