import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The API address is not baked in: the app reads /config.json at boot. In `vite dev`, /api is proxied to a local API.
export default defineConfig({
  plugins: [vue()],
  server: { proxy: { '/api': process.env.TASKSTACK_API_URL ?? 'http://127.0.0.1:3000' } },
  // The manifest lets the bench follow the initial route's import graph; it holds file names only.
  build: { target: 'es2022', sourcemap: false, manifest: true },
});
