import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Run as `vite build renderer`: the root is this folder. Relative asset URLs let the same build load from
// `universeg serve` (http://127.0.0.1:P/) and from Electron's app:// protocol.
export default defineConfig({
  base: './',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script, which the page's CSP forbids; every browser we run in has modulepreload.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
});
